// As cycling_heartbeat_poll_in_takes, the round counting its polls in Redis (INCR): the state
// never comes back, so the probe saw work and the explicit search never ended (no violation in
// 11 M states); the loop goes the same way every round alone, so it waits, and the race is found.
model counting_poll_in_takes
runtime threads

redis { lease, go = 0, polls = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            while redis.GET(go) != 1 {
                redis.INCR(polls)
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
expect violation mutual_exclusion
