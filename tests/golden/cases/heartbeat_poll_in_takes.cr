// B claims its work takes at most 10 ms, but inside that block it waits for a job from A,
// polling the queue with LPOP and writing a heartbeat each round; A takes a 30 ms lease outside
// any takes block and hands B the job; C tries to take the same lease. A round of B's loop
// writes only a fixed value and pops nothing while it waits, so B counts as waiting and its
// bound does not hold time back: A's lease may run out and C take it. Round 19 found this
// proved safe: the heartbeat made B's rounds count as work, and time stood still for everyone
// (checked with real Redis and three threads: two holders at once).
model heartbeat_poll_in_takes
runtime threads

redis { q: list(2), b_started, lease, work = 0, hb }
ghost holders = 0

process B {
    takes 0..10 {
        redis.SET(b_started, 1)
        let go = true
        while go {
            redis.SET(hb, 1)
            let j = redis.LPOP(q)
            if j != null { go = false }
        }
    }
}

process A {
    while not redis.EXISTS(b_started) { }
    if redis.SET(lease, 1, NX, PX = 30) {
        holders += 1
        redis.INCR(work)
        redis.INCR(work)
        holders -= 1
    }
    redis.RPUSH(q, 1)
}

process C {
    while not redis.EXISTS(b_started) { }
    if redis.SET(lease, 2, NX, PX = 30) {
        holders += 1
        redis.EXISTS(lease)
        holders -= 1
    }
}

invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
