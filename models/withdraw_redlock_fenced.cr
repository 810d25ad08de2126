// withdraw_redlock.cr made safe with a fencing token, as Martin Kleppmann proposed: whoever
// takes the lock also takes a number from a counter that only grows (INCR), and the storage
// remembers the highest number it has seen and refuses any read or write that comes with a
// smaller one. A holder whose leases expired while it paused may still believe it holds the
// lock, but the storage turns it away once a newer holder has been there. The lock becomes an
// optimisation; the storage's check is what keeps the money right.
//   local ok = redis.call('GET', 'fence') <= ARGV[1]   -- inside the storage, atomically
model withdraw_redlock_fenced
runtime threads

redis nodes[5] { lease }
redis tokens { counter = 0 }
redis store { balance = 100, fence = 0 }
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let acquired = 0
    let i = 0
    while i < 5 {
        if nodes[i].SET(lease, self + 1, NX, PX = 30) {
            acquired += 1
        }
        i += 1
    }
    if acquired >= 3 {
        let t = tokens.INCR(counter)             // the fencing token
        let b = 0
        let fresh = false
        store.eval {                             // a fenced read
            if t >= store.GET(fence) {
                store.SET(fence, t)
                b = store.GET(balance)
                fresh = true
            }
        }
        if fresh and b >= amount {
            let accepted = false
            store.eval {                         // a fenced write: refused after a newer holder came
                if t >= store.GET(fence) {
                    store.SET(fence, t)
                    store.SET(balance, b - amount)
                    accepted = true
                }
            }
            if accepted {
                withdrawn += amount
            }
        }
    }
    i = 0
    while i < 5 {
        nodes[i].eval {
            if nodes[i].GET(lease) == self + 1 {
                nodes[i].DEL(lease)
            }
        }
        i += 1
    }
}

invariant no_overdraft: store.balance >= 0
invariant conservation: store.balance + withdrawn == 100
cover one_withdrawal: withdrawn == 80
expect safe
