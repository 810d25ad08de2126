// A lease holder spins on a claim row (`insert ... on conflict do nothing` until it inserts),
// reading the owner each round, inside its 10 ms takes block, while a slow Owner (no time bound)
// holds the row. A failed insert writes nothing, so a round comes back with nothing changed: the
// probe (ir::ProbeSteps) finds the request waiting, time passes, the 30 ms lease runs out and
// Worker[1] takes it. Before 2026-12-07 the rounds counted as work and this was proved safe
// (round 20, checked with PostgreSQL 15 and Redis 7).
model insert_claim_poll_in_takes
runtime threads
table claims(id key, owner) rows 2 { (1, 9) }
redis { lease }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            let got = 0
            while got == 0 {
                got = insert into claims values (1, self) on conflict (id) do nothing
                let who = select owner from claims where id = 1
            }
            delete from claims where id = 1
            holders -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}
process Owner {
    delete from claims where id = 1
}
invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
