// Oracle's "for update wait n": PostgreSQL has nowait and skip locked; no timeouts are modelled.
model lock_timeout_try
runtime threads
table jobs(id key, status) { (1, 0) }
process W[2] {
    transaction {
        let s = select status from jobs where id = 1 for update wait 10
        update jobs set status = s + 1 where id = 1
    }
}
final two: jobs[1].status == 2
