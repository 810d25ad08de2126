// Issue 13: a product outside 32 bits is a runtime error, even when only compared.
model overflow_multiply
shared b = 65536
process P {
    let x = b
    if x * x > 0 {
        b = 0
    }
}
