// A word alone on a line, where a statement goes.
model m
shared x = 0
process W {
    x = 1
    flush
}
