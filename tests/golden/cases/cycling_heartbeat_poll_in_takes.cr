// A lease holder polls `go` inside its 10 ms takes block, writing a heartbeat that cycles
// 1, 2, 3, 0: no state comes back within the probe's two rounds, so until 2026-12-07 the rounds
// counted as work, time was held back, and the lease race with Other was proved safe. A run
// still on the loop when the probe's budget is spent now waits (a false alarm at worst, where
// alone it would leave in a later round).
model cycling_heartbeat_poll_in_takes
runtime threads

redis { lease, go = 0, hb = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let t = 1
            while redis.GET(go) != 1 {
                redis.SET(hb, t)
                t = (t + 1) % 4
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
