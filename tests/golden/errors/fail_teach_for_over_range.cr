// A counted for loop.
model m
shared x = 0
process W {
    for i in 0..3 {
        x += 1
    }
}
