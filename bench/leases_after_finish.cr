// One request sets two leases and finishes: afterwards only time passes, until both run out.
// docs/performance.md, "Time after every request has finished": the explicit engine lets time
// pass by the amounts that end a lease once everyone has finished (2,513 states before, 35 after).
model leases_after_finish
runtime threads
redis { lease, other }
process Worker {
    takes 0..10 {
        redis.SET(lease, 1, PX = 500)
        redis.SET(other, 1, PX = 200)
    }
}
invariant fine: true
cover gone: redis.lease == null and redis.other == null
cover half: redis.lease != null and redis.other == null
