// A holder waits for `go`, each round moving a counter up or down by a choice: two rounds can
// bring it back, so the probe finds the holder waiting. Round 22 found the z3 engine's run of
// this refused by the explicit engine's replay (an internal error): a replay narrows each choice
// to its trace's values, and the probe makes others (Stepper::set_probe_program).
model choose_walk_poll_in_takes
runtime threads
redis { lease, go = 0, c = 0, d = 0 }
ghost holders = 0
process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            while redis.GET(go) != 1 {
                choose r in 0..1
                if r == 0 {
                    redis.INCR(c)
                } else {
                    redis.DECR(c)
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
            redis.INCR(d)
            holders -= 1
        }
    }
}
process Setter {
    redis.SET(go, 1)
}
invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
