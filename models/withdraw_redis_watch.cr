// Optimistic locking in Redis: WATCH the balance, read it, and write it back in MULTI/EXEC.
// If another request changed the balance after the WATCH, Redis refuses the EXEC: the block
// writes nothing and reports false, and the request reads again. Nothing is locked while the
// request decides. `retries` counts the refused EXECs; one is all it ever takes here.
//   WATCH balance; GET balance; MULTI; SET balance <b - amount>; EXEC
model withdraw_redis_watch
runtime threads

redis { balance = 100 }
ghost withdrawn = 0
ghost retries = 0

process Withdraw[2](amount = 80) {
    retry at most 3 {
        redis.WATCH(balance)
        let b = redis.GET(balance)
        if b < amount {
            break                           // not enough money: give up
        }
        let done = redis.multi {            // EXEC: refused if balance changed since WATCH
            redis.SET(balance, b - amount)
        }
        if not done {
            retries += 1
            continue                        // somebody else wrote: read again
        }
        withdrawn += amount
    }
}

invariant no_overdraft: redis.balance >= 0
invariant conservation: redis.balance + withdrawn == 100
cover one_withdrawal: withdrawn == 80
cover retried: retries == 1
invariant at_most_one_retry: retries <= 1
expect safe
