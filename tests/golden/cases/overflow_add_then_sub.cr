// Issue 13: (b + 1) - 1 fails at the addition although the whole expression would give b back.
model overflow_add_then_sub
shared b = 2147483647
process P {
    let x = b
    b = (x + 1) - 1
}
