// Issue 13: every arithmetic result must fit in 32 bits, not only the values stored. b + 1 > b
// used to be true here (the sum was computed in 64 bits and never stored); it is a runtime error.
model overflow_compare
shared b = 2147483647
process P {
    let x = b
    assert x + 1 > x
}
