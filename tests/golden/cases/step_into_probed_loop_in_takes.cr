// A holder reads a step before its loop (`i += d`: not a counted loop, whose step must be a
// positive number, so a false alarm here). The step into the loop is probed one step, and the
// z3 engine counted its end on the loop as a spent budget: it reported a wait the explicit
// engine's replay refused, an internal error (round 25). Both engines now agree.
model step_into_probed_loop_in_takes
runtime threads
redis { lease, step = 1, go = 0, work = 0 }
ghost holders = 0
process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let d = redis.GET(step)
            let i = 0
            while i < 3 {
                if redis.GET(go) == 1 {
                    break
                }
                i += d
            }
            holders -= 1
        }
    }
}
process Other {
    if redis.SET(lease, 2, NX, PX = 30) {
        holders += 1
        redis.INCR(work)
        holders -= 1
    }
}
invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
