// The WATCH trap: WATCH only catches changes made after it. Here the request reads the
// balance first and WATCHes it afterwards, so a withdrawal that lands between the GET and
// the WATCH goes unnoticed: the EXEC runs, writes a balance computed from a stale read, and
// $160 leaves an account that had $100. Compare withdraw_redis_watch.cr.
model withdraw_redis_watch_late
runtime threads

redis { balance = 100 }
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    retry at most 3 {
        let b = redis.GET(balance)
        redis.WATCH(balance)                // too late: the read above is not covered
        if b < amount {
            break
        }
        let done = redis.multi {
            redis.SET(balance, b - amount)
        }
        if not done {
            continue
        }
        withdrawn += amount
    }
}

invariant conservation: redis.balance + withdrawn == 100
expect violation conservation
