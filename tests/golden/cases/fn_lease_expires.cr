// A fn's statements in a trace: their line in the fn and the calls they came from (issue 12).
// withdraw_redis_lock_fn.cr with a 30 ms lease: it expires while its holder works, and the
// other request takes the lock; both withdraw. The trace shows steps inside take_lease (called
// from withdraw) and inside withdraw (called from the process).
model fn_lease_expires
runtime threads

redis { lease, balance = 100 }
ghost withdrawn = 0

fn take_lease(token) {
    return redis.SET(lease, token, NX, PX = 30)
}

fn withdraw(token, amount) {
    let mine = take_lease(token)
    if not mine {
        return false
    }
    let b = redis.GET(balance)
    if b < amount {
        return false
    }
    redis.SET(balance, b - amount)
    withdrawn += amount
    return true
}

process Withdraw[2](amount = 80) {
    let paid = withdraw(self + 1, amount)
}

invariant conservation: redis.balance + withdrawn == 100
expect violation conservation
