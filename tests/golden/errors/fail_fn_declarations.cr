// fn names and parameters that clash: a fn named like a variable, like another fn, like a
// function of expressions; a parameter named twice or like a global; a local named like a parameter
model m
shared x = 0
fn x() {
    return
}
fn f(a) {
    return
}
fn f(b) {
    return
}
fn min(a, b) {
    return
}
fn g(a, a, x) {
    let a = 1
}
process P {
    f(1)
}
