// A holder polls a flag at most three times (`if i > 2 { break }`, the usual give-up shape)
// inside its 10 ms takes block, under a 30 ms lease: the counter bounds the rounds, so they are
// work (ir::ProbeSteps), time stays bounded and the lease cannot run out under it. Round 21
// found this, `while i != 3` and `while not (i >= 3)` taken for waits: false alarms.
model counted_loop_gives_up_in_takes
runtime threads

redis { lease, cfg = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let i = 0
            while redis.GET(cfg) != 1 {
                i += 1
                if i > 2 {
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
