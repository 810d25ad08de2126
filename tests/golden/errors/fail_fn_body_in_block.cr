// A fn's statement misplaced by the call names the call (round 14): the same body is fine at a
// call outside the block.
model m
lock mu
shared x = 0
redis { balance = 100 }
fn inc() {
    lock mu {
        x = x + 1
    }
}
fn check_debit(amount) {
    if redis.GET(balance) >= amount {
        redis.DECRBY(balance, amount)
    }
}
process P {
    inc()
    atomic {
        inc()
    }
    redis.multi {
        check_debit(10)
    }
}
invariant ok: true
