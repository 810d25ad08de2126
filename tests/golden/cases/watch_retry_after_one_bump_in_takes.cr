// A holder's optimistic WATCH/GET/MULTI retry inside its 10 ms takes block, beside a Bumper
// that changes the watched counter once: the first EXEC fails, the next succeeds. The probe
// compared states without the instance's own block, where the WATCH slots lie, so the retry
// came back to the "same" state with a fresh watch and was taken for a wait: a false alarm
// (round 25). The WATCH slots are compared now (ir::WatchSlots): it works, and the lease holds.
model watch_retry_after_one_bump_in_takes
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
process Bumper {
    redis.INCR(cnt)
}

invariant mutual_exclusion: holders <= 1
cover retried: redis.cnt == 2
expect safe
