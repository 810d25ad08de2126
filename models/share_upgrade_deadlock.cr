// Two workers read a job's state `for share` and then update it. Share locks do not conflict
// with each other, so both read; but each update must wait until no other transaction holds
// the row, and each waits for the other's share lock. PostgreSQL's deadlock detector fails one
// with 40P01. Fixes: read the row `for update` (the second worker then waits at the read), or
// handle the failure with `on failure retry at most 3`.
model share_upgrade_deadlock
runtime threads

table jobs(id key, runs) { (1, 0) }

process Worker[2] {
    transaction {
        let seen = select runs from jobs where id = 1 for share
        update jobs set runs = seen + 1 where id = 1
    }
}

final counted: jobs[1].runs >= 1
expect failure
