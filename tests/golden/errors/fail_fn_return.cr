// return misused: a bare return in a fn that returns a value elsewhere, a fn that can end without
// its value, return leaving a lock, atomic, transaction or Redis block, a value returned by a process
model m
shared x = 0
lock mu
redis { k = 0 }
table t(id key, v) { (1, 0) }
fn f(n) {
    if n > 0 {
        return 1
    }
    return
}
fn g(n) {
    if n > 0 {
        return n
    } else {
        x = 1
    }
}
fn h() {
    lock mu {
        return
    }
}
fn s() {
    redis.eval {
        return
    }
}
process P {
    return 1
}
process Q {
    atomic {
        return
    }
    transaction {
        return
    }
}
