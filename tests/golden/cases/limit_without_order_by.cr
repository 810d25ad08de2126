// limit without order by: a warning (the run goes on, the exit code is the verdict's), and
// racecheck tries each row first, so the worker can take job 2 (issue 11, picking rows)
model limit_without_order_by
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
ghost took = 0
process W {
    let job = select id from jobs where status = 'queued' limit 1
    took = job
}
invariant first_job: took != 2
expect violation first_job
