// `select ... for update` outside a transaction: PostgreSQL releases the row lock when the
// select ends (autocommit), so the update after it is not protected: a warning, and the model
// still runs (two workers claim the same job)
model m
enum Status { queued, done }
table jobs(id key, status Status, runs) { (1, queued, 0) }
process Worker[2] {
    let job = select id from jobs where status = 'queued' for update skip locked
    if job != null {
        update jobs set status = 'done', runs = runs + 1 where id = job
    }
}
invariant once: count(jobs where runs > 1) == 0
