// fns are inlined, so a fn may not call itself, directly or through others; each cycle is named
model m
shared x = 0
fn a(n) {
    b(n)
}
fn b(n) {
    let v = c(n)
}
fn c(n) {
    a(n)
    return 1
}
fn again() {
    again()
}
process P {
    a(1)
}
