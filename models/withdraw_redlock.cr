// A Redis lock with a lease: SET lease NX PX=30 takes the lock if nobody holds it, and Redis
// deletes the key by itself after 30 ms so that a crashed holder cannot block everyone
// forever. The catch: a holder that pauses longer than the lease (GC, a slow network, a
// swapped-out VM) still believes it holds the lock. The lease expires, the second request
// takes the lock, both read $100 and both withdraw $80.
// (coming: database and Redis semantics; today racecheck checks this model's text only)
model withdraw_redlock
runtime threads

redis { balance = 100, lease }             // `lease` starts absent: the lock is free

ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let locked = redis.SET(lease, self + 1, NX, PX = 30)
    if locked {
        let b = redis.GET(balance)
        if b >= amount {
            redis.SET(balance, b - amount)       // the lease may have expired by now
            withdrawn += amount
        }
        redis.DEL(lease)
    }
}

invariant no_overdraft: redis.balance >= 0
invariant conservation: redis.balance + withdrawn == 100
expect violation conservation
