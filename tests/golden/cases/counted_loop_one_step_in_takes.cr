// A lease holder reads a flag twice, one GET a round of a counted loop (`while i < 2`), inside
// its 10 ms takes block, and releases the lease long before its 30 ms end. A round changes only
// its counter, which the one-step probe of a poll does not look at; the counter bounds the rounds
// (ir::ProbeSteps marks the loop counted), so they are work and time is bounded by the block.
// Until 2026-12-07 this was a false alarm: the request counted as waiting, time passed 30 ms.
model counted_loop_one_step_in_takes
runtime threads
redis { lease, go = 0 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            let i = 0
            while i < 2 {
                let a = redis.GET(go)
                i += 1
            }
            holders -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 {
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
cover released: holders == 0
expect safe
