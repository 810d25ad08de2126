// Properties over whole tables (issue 11): count, exists and sum with where clauses over the
// committed rows. A row where the condition is unknown (a NULL worker) does not count, as in a SQL
// where clause; an uncommitted insert is not seen. sum over no row is NULL, as in SQL, so the
// final writes coalesce (property_sum_null.cr shows the runtime error without it).
model property_aggregates
enum Status { queued, running, done }
table jobs(id key, status Status, worker null) { (1, 'queued', null), (2, 'queued', null) }
process Worker[2](me = 1 + self) {
    transaction {
        let claimed = update jobs set status = 'running', worker = me where id = me and status = 'queued'
        if claimed == 1 {
            insert into jobs values (10 + me, 'done', me)
        }
    }
}
invariant one_running_each: count(jobs where status == running and worker == 1) <= 1 and
    count(jobs where jobs.status = 'running' and jobs.worker = 2) <= 1
invariant unknown_not_counted: count(jobs where not (worker == 1)) <= count(jobs where worker is not null)
invariant done_owned: not exists(jobs where status == done and worker is null)
cover both_claimed: count(jobs where status == running) == 2 and exists(jobs where id == 12)
final total: sum(jobs.worker) == 6 and coalesce(sum(jobs.worker where worker == 9), 0) == 0
expect safe
