// A holder's WATCH/GET/MULTI retry inside its 10 ms takes block, beside a Bumper that writes
// the watched key in a loop of its own: every EXEC can fail, for ever, while the lease runs out.
// The waiting probe runs the holder alone, where its retry succeeds at once, so until 2026-12-07
// its rounds counted as work, no time passed, and the lease was proved safe (round 26). A request
// that goes round such a loop four rounds in a row now waits (Process::rounds_local).
model watch_retry_failed_for_ever_in_takes
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
    while true {
        redis.SET(cnt, 7)
    }
}

invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
