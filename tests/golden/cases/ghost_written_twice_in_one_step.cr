// A ghost raised and lowered around a pause, which is no step: no state holds the raised value,
// so the invariant holds for that reason alone; racecheck warns at the second write.
model ghost_written_twice_in_one_step
runtime threads
redis { lease, work = 0 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 10) {
            holders += 1
            pause 0..5
            holders -= 1
            redis.INCR(work)
        }
    }
}
invariant mutual_exclusion: holders <= 1
