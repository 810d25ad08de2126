// Redlock: a lock held on a majority of five independent Redis servers. Each request tries
// SET lease NX PX=30 on every node and holds the lock when it got 3 of them; the leases let
// Redis free the lock by itself if the holder crashes. The catch is the same as with one Redis:
// a holder that pauses longer than the lease (a GC pause, a slow network, a swapped-out VM)
// still believes it holds the lock. Its leases expire, the second request takes a majority,
// both read $100 and both withdraw $80. The balance itself lives in a sixth instance, `store`.
//   for node in nodes: acquired += node.set("lease", me, nx=True, px=30)
//   if acquired >= 3: b = store.get("balance"); if b >= amount: store.set("balance", b - amount)
model withdraw_redlock
runtime threads

redis nodes[5] { lease }                   // `lease` starts absent: the lock is free
redis store { balance = 100 }
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
        let b = store.GET(balance)
        if b >= amount {
            store.SET(balance, b - amount)       // the leases may have expired by now
            withdrawn += amount
        }
    }
    // Release: delete only the leases that are still ours (a script, so check and delete are one step).
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
expect violation conservation
