// A one-step compare-and-set retry inside a takes block whose first guess is stale (the counter
// starts at 5, the guess at 0): alone it needs two rounds, and Other and Bumper may each fail it
// once more, so it may go round four times in all, the n + 1 rounds a request may take on such a
// loop before it counts as waiting. Until 2026-12-07 the step entering the loop counted as a
// round, a one-step retry waited one round early, and the lease race was a false alarm (round 27).
model cas_retry_stale_guess_three_fails_in_takes
runtime threads
redis { lease, work = 0, cnt = 5 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let done = false
            let v = 0
            while not done {
                redis.eval {
                    let c = redis.GET(cnt)
                    if c == v {
                        redis.SET(cnt, v + 1)
                        done = true
                    } else {
                        v = c
                    }
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
    redis.INCR(cnt)
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
process Bumper {
    redis.INCR(cnt)
}

invariant mutual_exclusion: holders <= 1
cover three_fails: redis.cnt == 8
expect safe
