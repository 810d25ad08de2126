// As cycling_heartbeat_poll_in_takes, the poll written do-while style: the way out reads `done`,
// carried from the round before and set each round from `go`. No state comes back within the
// probe's two rounds, but the run is still on the loop when the budget is spent: the holder
// waits, and the lease race is found. Until 2026-12-07 this was proved safe.
model carried_flag_poll_in_takes
runtime threads

redis { lease, go = 0, hb = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let t = 1
            let done = false
            while not done {
                redis.SET(hb, t)
                t = (t + 1) % 4
                done = redis.GET(go) == 1
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
