// A model with an error: it is not checked, and the run says so in every format.
model broken
shared total = 0

process P {
    total = totl + 1
}
