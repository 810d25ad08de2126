// statements after a return never run: one in the same block, one that would read as the value
// of the return (on the next line)
model m
shared x = 0
fn f() {
    return
    x = 1
}
process P {
    f()
    if x > 0 {
        return
        let y = 1
    }
}
