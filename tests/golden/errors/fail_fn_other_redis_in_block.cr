// A fn's command for another Redis instance, inside a block on one: the error names the call
// (round 14).
model m
redis { balance = 100 }
redis cache { balance = 100 }
fn debit(a) {
    redis.DECRBY(balance, a)
}
process P {
    cache.multi {
        debit(10)
    }
}
invariant ok: true
