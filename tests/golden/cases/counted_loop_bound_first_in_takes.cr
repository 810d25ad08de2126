// A holder gives up after three polls, the bound written first (`while i < 3 and
// redis.GET(go) != 1`): the read runs only where i < 3 held, so the loop branches on a
// temporary whose first operand is the bound; it is a counted loop, its rounds are work, and the
// lease holds. Round 24 found this a false alarm (the bound written second was counted).
model counted_loop_bound_first_in_takes
runtime threads

redis { lease, go = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let i = 0
            while i < 3 and redis.GET(go) != 1 {
                i += 1
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
expect safe
