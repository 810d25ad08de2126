// calls of fns written wrong: too few arguments, the value of a fn that returns none, a call
// inside an expression, an unknown fn, a variable called, a function of expressions as a statement
model m
shared x = 0
fn add(a, b) {
    return a + b
}
fn bump() {
    x += 1
}
process P {
    let v = add(1)
    let w = bump()
    let u = 1 + add(1, 2)
    missing(3)
    x(1)
    min(1, 2)
    bump(add(1, 2))
}
invariant small: add(1, 2) > 0
