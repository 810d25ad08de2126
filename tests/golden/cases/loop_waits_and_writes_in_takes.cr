// A lease holder spins on a counter semaphore (INCR; if not 1, DECR and again) that a slow Holder
// (no takes block: any duration) has taken, inside its own 10 ms block. The spin waits for
// Holder, so on Redis the 30 ms lease can run out and Worker[1] take it (round 20, checked with
// real threads). Each round writes (INCR, DECR) and leaves the key as it was: racecheck's probe
// runs a request on such a loop alone for up to two rounds' steps (ir::ProbeSteps), finds it back
// with nothing changed, and lets time pass while it spins. It still warns at the loop: a round
// that changes something each time would count as work. Until 2026-12-07 this was proved safe.
model loop_waits_and_writes_in_takes
runtime threads
redis { lease, sem = 0 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            while redis.INCR(sem) != 1 {      // spin on the semaphore
                redis.DECR(sem)
            }
            redis.DECR(sem)                    // release the semaphore
            holders -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}
process Holder {
    if redis.INCR(sem) == 1 {
        // long work, no time bound
        redis.DECR(sem)
    } else {
        redis.DECR(sem)
    }
}
invariant mutual_exclusion: holders <= 1
