// A holder's compare-and-set retry inside its 10 ms takes block: it reads the counter into a
// local, and a script sets it only if it still holds that value. A Bumper changes the counter
// once: the first script fails, the next read sees the new value, and the script succeeds. The
// waiting probe compared states without the request's locals, so the retry, back at the script
// with the new value read, looked like the state it started from and was taken for a wait: a
// false alarm (round 26). A probe of more than one step compares the locals now: it works, and
// the lease holds.
model cas_retry_after_one_bump_in_takes
runtime threads
redis { lease, go = 0, work = 0, cnt = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let done = false
            while not done {
                let v = redis.GET(cnt)
                redis.eval {
                    if redis.GET(cnt) == v {
                        redis.SET(cnt, v + 1)
                        done = true
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
