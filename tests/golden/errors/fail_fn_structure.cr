// where a fn's statements may stand is checked at each call: rollback outside a transaction, an
// await under threads, a lock inside an atomic block; break in a fn never leaves the caller's loop
model m
shared x = 0
lock mu
table t(id key, v) { (1, 0) }
fn undo() {
    rollback
}
fn stop() {
    break
}
fn guarded() {
    lock mu {
        x += 1
    }
}
process P {
    transaction {
        undo()
    }
    undo()
    while x < 3 {
        stop()
        x += 1
    }
    atomic {
        guarded()
    }
}
