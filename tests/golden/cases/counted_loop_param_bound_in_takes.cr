// As counted_loop_local_bound_in_takes, the bound a process parameter (`tries = 2`): no round
// writes it, so the rounds are work and the lease holds.
model counted_loop_param_bound_in_takes
runtime threads

redis { lease, cfg = 0, work = 0 }
ghost holders = 0

process Holder(tries = 2) {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let i = 0
            while redis.GET(cfg) != 1 {
                i += 1
                if i > tries {
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
