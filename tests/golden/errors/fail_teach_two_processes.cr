// Two independent syntax errors in two processes: both are reported, as the parser starts
// afresh at the next process.
model m
shared x = 0
process A {
    x = = 1
}
process B {
    x = 1 +
}
invariant ok: x >= 0
