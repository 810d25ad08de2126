// A holder waits for `go` inside its 10 ms takes block, each round INCRing a counter five times
// in an inner counted loop and taking the five back: seven steps a round, where the code shows
// three, beyond the probe's budget. A loop that waits and holds an inner loop is marked as a
// poll (ir::ProbeSteps): the holder waits, and the 30 ms lease can run out. Round 22 found this
// proved safe (real threads and Redis 7: two holders).
model inner_loop_in_wait_loop_in_takes
runtime threads
redis { lease, go = 0, c = 0 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            while redis.GET(go) != 1 {
                let k = 0
                while k < 5 {
                    redis.INCR(c)
                    k += 1
                }
                redis.DECRBY(c, 5)
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
