// a fn's body is typed in each call's copy: the returns of one call must agree, the value must fit
// where it goes, and a mistake in the body is reported once however many calls reach it
model m
shared x = 0
shared flag = false
fn pick(n) {
    if n > 0 {
        return true
    }
    return n
}
fn twice(n) {
    return n + true
}
process P {
    let a = pick(1)
    x = twice(1)
    x = twice(2)
    flag = twice(3)
}
