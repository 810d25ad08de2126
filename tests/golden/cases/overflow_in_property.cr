// Issue 13: the 32-bit rule holds in properties too: b + 1 > b fails to evaluate once b is
// 2147483647, which is a violation (runtime error in the invariant).
model overflow_in_property
shared b = 2147483646
process P {
    b = 2147483647
}
invariant grows: b + 1 > b
