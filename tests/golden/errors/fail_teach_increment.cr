// x++ from C, Java or JavaScript.
model m
shared hits = 0
process W[2] {
    hits++
}
