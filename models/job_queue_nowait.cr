// The job queue of job_queue_skip_locked.cr with NOWAIT instead of SKIP LOCKED: a worker that
// meets the first job locked fails at once with lock_not_available (55P03) and retries, and
// after three tries it gives up (the job stays queued for the next poll):
//   BEGIN;
//   SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE NOWAIT;
//   -- 55P03: ROLLBACK and try again, at most 3 times --
//   UPDATE jobs SET status = 'running' WHERE id = :id;
//   -- run the job --
//   UPDATE jobs SET status = 'done' WHERE id = :id;
//   COMMIT;
// No job runs twice, but both workers go for job 1, so one can give up while job 2 waits:
// NOWAIT suits a request that must not wait, SKIP LOCKED suits a queue.
model job_queue_nowait
runtime threads

enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
ghost runs1 = 0
ghost runs2 = 0

process Worker[2] {
    transaction {
        let job = select id from jobs where status = 'queued' order by id limit 1 for update nowait
        if job != null {
            update jobs set status = 'running' where id = job
            if job == 1 {
                runs1 += 1
            } else {
                runs2 += 1
            }
            update jobs set status = 'done' where id = job
        }
    } on failure retry at most 3
}

// A worker that gives up ends its request; that is what the final property is about.
allow failure
invariant runs_once: runs1 <= 1 and runs2 <= 1
final both_ran: runs1 == 1 and runs2 == 1
expect violation both_ran
