// As counted_loop_local_bound_in_takes, but each round raises the bound too (`lim += 1`): the
// counter never catches up, so the holder polls until the setter comes, time passes, and
// its lease can run out under it while Other takes the lock: a real race, found.
model counted_loop_moving_bound_in_takes
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
                lim += 1
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
expect violation mutual_exclusion
