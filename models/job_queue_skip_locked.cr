// The job queue every Postgres shop has: a worker claims the first queued job it can lock,
// skipping jobs other workers hold, and runs it inside the transaction that holds the lock.
//   BEGIN;
//   SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
//   UPDATE jobs SET status = 'running' WHERE id = :id;
//   -- run the job --
//   UPDATE jobs SET status = 'done' WHERE id = :id;
//   COMMIT;
// Two workers, two jobs: no job runs twice, and the workers can run both at once.
model job_queue_skip_locked
runtime threads

enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
ghost runs1 = 0
ghost runs2 = 0

process Worker[2] {
    transaction {
        let job = select id from jobs where status = 'queued' order by id limit 1 for update skip locked
        // No row found gives 0, and no job has the key 0.
        if job != null {
            update jobs set status = 'running' where id = job
            if job == 1 {
                runs1 += 1
            } else {
                runs2 += 1
            }
            update jobs set status = 'done' where id = job
        }
    }
}

invariant runs_once: runs1 <= 1 and runs2 <= 1
cover both_ran: runs1 == 1 and runs2 == 1
expect safe
