// As two_waiters_write_over_each_other_in_takes, the loop's way out also reading `spins`, which
// its rounds write. Each round writes which coordinator polled last; beside the other waiter it
// writes over the other's value, so no round comes back to the state it started from, but from
// the second round on the run passes a state it passed (the probe looks for any): the
// coordinators wait, and time may pass while the workers hold their 30 ms leases.
model waiters_probed_past_first_round_in_takes
runtime threads

redis { go = 0, fin = 0, lease, work = 0, spins = 0, last = 0 }
ghost holders = 0

process Coord[2] {
    takes 0..10 {
        redis.INCR(go)
        while redis.GET(fin) < 2 or redis.GET(spins) > 0 {
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
