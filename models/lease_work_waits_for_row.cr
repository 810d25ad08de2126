// lease_within_ttl.cr's timing assumption broken by a lock wait: the work under the lease is an
// UPDATE of a row, and "the work takes at most 10" counted only the work. While a report holds
// the row in a long transaction (no `takes` block: it may take any time), the lease holder waits
// for the row lock, its lease runs out, and the other worker takes the lease: both are inside.
//   if r.set("lease", token, nx=True, px=30000):       # redis-py
//       cur.execute("UPDATE stats SET runs = runs + 1 WHERE id = 1")   # waits for the row
//       ...
// A wait inside a `takes` block is time the block's bound does not cover (docs/semantics.md,
// "Time"): a lock, a row or a blocking pop can hold a request up for as long as its holder likes.
// The fix is a fencing token checked by the storage (withdraw_redlock_fenced.cr), or a lock
// timeout shorter than the lease.
model lease_work_waits_for_row
runtime threads

table stats(id key, runs) { (1, 0) }
redis { lease }
ghost holders = 0

process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            update stats set runs = runs + 1 where id = 1
            holders -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}

process Report {
    transaction {
        let n = select runs from stats where id = 1 for update
        update stats set runs = n where id = 1
    }
}

invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
