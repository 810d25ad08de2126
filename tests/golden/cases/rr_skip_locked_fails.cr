// Workers claim a job at repeatable read: the count takes the snapshot, then `for update skip
// locked` meets the job the other worker claimed and committed after it, and PostgreSQL fails
// with 40001 rather than skip it (checked by a new user on PostgreSQL 15). The report names the
// failure and no anomaly: the database refused the read skew the run was heading for.
model rr_skip_locked_fails
enum St { queued, running }
table jobs(id key, st St) { (1, queued), (2, queued) }
process W[2] {
    transaction isolation repeatable_read {
        let q = select count(*) from jobs where st = 'queued'
        let j = select id from jobs where st = 'queued' order by id limit 1 for update skip locked
        if j != null {
            update jobs set st = 'running' where id = j
        }
    }
}
expect failure
