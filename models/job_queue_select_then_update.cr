// A job queue whose workers claim a job in two statements: find a queued job, then mark it
// running. Both workers can find the same job before either marks it, and the job runs twice.
//   SELECT id FROM jobs WHERE status = 'queued' LIMIT 1;
//   UPDATE jobs SET status = 'running' WHERE id = :id;
//   -- run the job --
//   UPDATE jobs SET status = 'done' WHERE id = :id;
model job_queue_select_then_update
runtime threads

enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued') }
ghost runs = 0

process Worker[2] {
    let job = select id from jobs where status = 'queued'
    // No row found gives null.
    if job != null {
        update jobs set status = 'running' where id = job
        runs += 1
        update jobs set status = 'done' where id = job
    }
}

invariant runs_once: runs <= 1
final finished: jobs[1].status == done
expect violation runs_once
