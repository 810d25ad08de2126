// A lease holder waits for `go` inside its 10 ms takes block while it turns a round-robin
// cursor 0, 1, 2 and leaves only at cursor 2 with `go` set: the loop's way out reads the cursor
// it writes, so only the probe can tell, and a value with a period of three rounds never comes
// back within its two rounds' budget. A run still on the loop when the budget is spent counts as
// waiting (a false alarm at worst), so the lease race is found. Round 24 found this proved safe
// (real threads and Redis 7: two holders).
model cursor_cycle_poll_in_takes
runtime threads

redis { lease, cursor = 0, go = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            while true {
                let s = redis.GET(cursor)
                redis.SET(cursor, (s + 1) % 3)
                if s == 2 and redis.GET(go) == 1 {
                    break
                }
            }
            holders -= 1
            redis.eval {
                if redis.GET(lease) == 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}

process Other {
    takes 0..10 {
        if redis.SET(lease, 2, NX, PX = 30) {
            holders += 1
            redis.INCR(work)
            holders -= 1
            redis.eval {
                if redis.GET(lease) == 2 {
                    redis.DEL(lease)
                }
            }
        }
    }
}

process Setter {
    redis.SET(go, 1)
}

invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
