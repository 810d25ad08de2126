// A holder polls a flag and gives up past a bound held in a local (`let lim = 2` before the
// loop) inside its 10 ms takes block, under a 30 ms lease: no round writes lim, so the counter
// bounds the rounds as a number would, they are work, and the lease cannot run out under them.
// Until 2026-12-07 a bound in a local (or a process parameter) made the loop a poll that held
// time back: a false alarm, an expired lease.
model counted_loop_local_bound_in_takes
runtime threads

redis { lease, cfg = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let lim = 2
            let i = 0
            while redis.GET(cfg) != 1 {
                i += 1
                if i > lim {
                    break
                }
            }
            redis.INCR(work)
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
    redis.SET(cfg, 1)
}

invariant mutual_exclusion: holders <= 1
expect safe
