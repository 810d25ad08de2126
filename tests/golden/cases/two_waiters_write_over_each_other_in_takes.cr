// Two coordinators wait inside their 10 ms takes blocks for both workers, each round writing
// which coordinator polled last. Alone, a round writes what it wrote the round before; beside the
// other waiter it writes over the other's value, so no round comes back to the state it started
// from. The probe (ir::ProbeSteps) looks for a state the run passed, not only the first: from
// the second round on, it is back, so the coordinators wait and time may pass while the workers
// hold their 30 ms leases. Round 21 found this proved safe (real threads and Redis 7: two holders).
model two_waiters_write_over_each_other_in_takes
runtime threads

redis { go = 0, fin = 0, lease, work = 0, spins = 0, last = 0 }
ghost holders = 0

process Coord[2] {
    takes 0..10 {
        redis.INCR(go)
        while redis.GET(fin) < 2 {
            redis.SET(last, self + 1)
            redis.INCR(spins)
            redis.DECR(spins)
        }
    }
}

process W[2] {
    while redis.GET(go) != 2 { }
    if redis.SET(lease, self + 1, NX, PX = 30) {
        holders += 1
        redis.INCR(work)
        holders -= 1
        redis.eval {
            if redis.GET(lease) == self + 1 {
                redis.DEL(lease)
            }
        }
    }
    redis.INCR(fin)
}

invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
