// Issue 11 (NULL): -2147483648 is NULL's representation, so integers run -2147483647..2147483647
// and a result of -2147483648 is an overflow (with constant operands the compiler refuses it;
// here the operand is read at run time). Negation can no longer overflow; this case replaces
// issue 13's -(-2147483648).
model overflow_to_null
shared b = -2147483647
process P {
    let m = b
    let n = m - 1
}
