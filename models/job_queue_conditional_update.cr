// The job queue of job_queue_select_then_update.cr, fixed in the claim: the update claims the
// job only if it is still queued, and a worker runs the job only if its update changed a row.
// Under read committed the second update waits for the first one's row, reads it again, finds
// it running and changes nothing.
//   SELECT id FROM jobs WHERE status = 'queued' LIMIT 1;
//   UPDATE jobs SET status = 'running' WHERE id = :id AND status = 'queued';  -- 1 row: ours
//   -- run the job --
//   UPDATE jobs SET status = 'done' WHERE id = :id;
model job_queue_conditional_update
runtime threads

enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued') }
ghost runs = 0

process Worker[2] {
    let job = select id from jobs where status = 'queued'
    if job != null {
        let claimed = update jobs set status = 'running' where id = job and status = 'queued'
        if claimed == 1 {
            runs += 1
            update jobs set status = 'done' where id = job
        }
    }
}

invariant runs_once: runs <= 1
final finished: jobs[1].status == done
cover ran: runs == 1
expect safe
