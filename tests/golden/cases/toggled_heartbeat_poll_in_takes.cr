// A lease holder waits for `go` inside its 10 ms takes block, writing a heartbeat that toggles
// (0, 1, 0, ...) each round. No single round leaves the key as it was, two do: racecheck's probe
// runs a request on a loop that writes and waits for two rounds' steps (ir::ProbeSteps), so it
// waits there, and time may pass while Setter has not set `go`: the 30 ms lease runs out and
// Worker[1] takes it. Before 2026-12-07 the rounds counted as work and this was proved safe
// (round 20, checked with real threads and Redis).
model toggled_heartbeat_poll_in_takes
runtime threads
redis { lease, go = 0, hb = 5 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            let t = 0
            while redis.GET(go) != 1 {
                redis.SET(hb, t)
                t = 1 - t
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
expect violation mutual_exclusion
