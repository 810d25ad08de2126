// Two pods; a worker takes a 30 ms lease and bumps two counters under it. Its pod may be killed
// between the two (an OOM kill); the lease runs out and the worker on the other pod sees the
// half-done work. The explanation is the crashed holder's, not an expired lease "while W[0]
// still worked under it" (round 16: a replica crash did not reach the explanations).
model replica_crash_lease_holder
runtime threads(replicas = 2)
replica may crash
redis { lease, a = 0, b = 0 }
process W[2] on replica self {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            let x = redis.GET(a)
            let y = redis.GET(b)
            assert x == y "the previous holder left its work half done"
            redis.INCR(a)
            redis.INCR(b)
            redis.eval {
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}
expect violation assert
