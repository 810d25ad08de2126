// A holder's WATCH/GET/MULTI retry inside its 10 ms takes block, beside two Bumpers that each
// change the watched counter once: its EXEC may fail twice, then succeeds. Four rounds in a row
// on such a loop make a request wait (watch_retry_failed_for_ever_in_takes); two failed rounds
// stay work, and the lease holds.
model watch_retry_after_two_bumps_in_takes
runtime threads
redis { lease, go = 0, work = 0, cnt = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let done = false
            while not done {
                redis.WATCH(cnt)
                let v = redis.GET(cnt)
                done = redis.multi {
                    redis.SET(cnt, v + 1)
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
process Bumper[2] {
    redis.INCR(cnt)
}

invariant mutual_exclusion: holders <= 1
cover retried_twice: redis.cnt == 3
expect safe
