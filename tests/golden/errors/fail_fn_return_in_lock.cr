// A return inside a lock block: one error, the return's, not also "can reach its end".
model m
lock mu
fn take(x) {
    lock mu {
        return x
    }
}
process P {
    let v = take(1)
}
