// A lease holder reads its config in a counted loop, two reads a round, inside its 10 ms block:
// the loop goes round twice whatever the others do, so it works rather than waits, and its block
// bounds time. Round 19 found such a loop taken for a poll (it only reads), so 30 ms passed
// inside the 10 ms block and the lease was reported lost: a false alarm (a leader's renewal loop,
// `while rounds < 3`, the same). A counter only raised by a number and tested against a fixed
// bound on the loop (ir::PollCycles) marks it as counted.
model counted_loop_in_takes
redis { lease, cfg_a = 5, cfg_b = 6 }
ghost holders = 0

process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            let i = 0
            while i < 2 {
                let a = redis.GET(cfg_a)
                let b = redis.GET(cfg_b)
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

invariant mutual_exclusion: holders <= 1
cover both_held: holders == 1
expect safe
