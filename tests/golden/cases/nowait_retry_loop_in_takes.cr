// A lease holder retries `select ... for update nowait` inside its 10 ms takes block until a slow
// Owner (no time bound) frees the row, writing a heartbeat that cycles 1, 2, 0 on each failure.
// Where the loop goes is decided by others (the statement's failure label), so the probe
// (ir::ProbeSteps) runs it alone for two rounds' steps and finds it back at a state it passed:
// it waits, and the 30 ms lease can run out. Round 22 found this proved safe, without a warning
// (real PostgreSQL 15 and Redis 7: two holders).
model nowait_retry_loop_in_takes
runtime threads
table jobs(id key, owner) { (1, 0) }
redis { lease, hb = 0 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            let got = false
            let t = 1
            while not got {
                transaction {
                    let o = select owner from jobs where id = 1 for update nowait
                    update jobs set owner = self + 1 where id = 1
                    got = true
                } on failure {
                    redis.SET(hb, t)
                    t = (t + 1) % 3
                }
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
process Owner {
    transaction {
        let o = select owner from jobs where id = 1 for update
        update jobs set owner = 9 where id = 1
    }
}
allow failure
invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
