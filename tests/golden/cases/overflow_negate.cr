// Issue 13: -(-2147483648) is 2147483648, outside 32 bits: a runtime error (with a constant
// operand the compiler refuses it; here the operand is read at run time).
model overflow_negate
shared b = -2147483648
process P {
    let m = b
    let n = -(m)
}
