// A worker holds a 20 ms lease, then spins for a mutex a batch job holds as long as it likes,
// trying SET NX and reading the holder each round. A spin is a wait: the worker's own 10 ms
// bound does not cover it, so the lease runs out and the other worker takes it (checked on
// Redis 7 in round 16, which found this model proved safe: the failed SET NX counted as work).
model spin_lock_in_takes
runtime threads
redis { lease, mutex }
ghost holders = 0
process Batch {
    redis.SET(mutex, 9)
    redis.DEL(mutex)
}
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 20) {
            holders += 1
            while not redis.SET(mutex, self + 1, NX) {
                let who = redis.GET(mutex)
            }
            redis.DEL(mutex)
            holders -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}
invariant one_holder: holders <= 1
expect violation one_holder
