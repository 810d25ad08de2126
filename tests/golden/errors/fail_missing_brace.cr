// a block that is never closed
model m
shared x = 0
process P {
    x = 1
