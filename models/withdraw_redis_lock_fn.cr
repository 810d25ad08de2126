// One lock helper shared by every handler, as a service writes it once (Python, redis-py):
//   def take_lease(token): return r.set("lease", token, nx=True)       # no TTL: held until released
//   def drop_lease(token):                                             # check-and-delete, one script
//       r.eval("if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end", 1, "lease", token)
//   def withdraw(token, amount):
//       if not take_lease(token): return False
//       b = int(r.get("balance")); paid = b >= amount
//       if paid: r.set("balance", b - amount)
//       drop_lease(token); return paid
// Two requests withdraw $80 from $100 with their own token; a refund adds $30 under the same lock.
// Each call is the fn's body copied in place, so the steps are those of the code above: the lock
// makes the read-check-write one critical section, and the balance never goes negative.
model withdraw_redis_lock_fn
runtime threads

redis { lease, balance = 100 }             // `lease` starts absent: the lock is free
ghost withdrawn = 0
ghost refunded = 0

fn take_lease(token) {
    return redis.SET(lease, token, NX)
}

fn drop_lease(token) {
    redis.eval {                           // compare and delete: one step inside Redis
        if redis.GET(lease) == token {
            redis.DEL(lease)
        }
    }
}

fn withdraw(token, amount) {
    let mine = take_lease(token)
    if not mine {
        return false                       // busy: the client gets an error and may retry
    }
    let b = redis.GET(balance)
    let paid = b >= amount
    if paid {
        redis.SET(balance, b - amount)
        withdrawn += amount                // rides along with the SET's step
    }
    drop_lease(token)
    return paid
}

process Withdraw[2](amount = 80) {
    let paid = withdraw(self + 1, amount)
}

process Refund(amount = 30) {
    let mine = take_lease(10)
    if mine {
        let b = redis.GET(balance)
        redis.SET(balance, b + amount)
        refunded += amount
        drop_lease(10)
    }
}

invariant no_overdraft: redis.balance >= 0
invariant conservation: redis.balance + withdrawn - refunded == 100
cover refund_and_withdrawal: withdrawn == 80 and refunded == 30
expect safe
