// A worker claims every queued job in one statement and runs each one it got back:
//   UPDATE jobs SET status = 'running', worker = $1 WHERE status = 'queued' RETURNING id, worker
// The second worker's update waits for the first's row locks, then checks the status again and
// skips the rows the first took (read committed): no job runs twice, and the loop sees the values
// the update wrote.
model for_update_returning
runtime threads
enum Status { queued, running, done }
table jobs(id key, status Status, worker) { (1, 'queued', 0), (2, 'queued', 0), (3, 'queued', 0) }
ghost runs = 0
shared seen[4] = 0
process Worker[2] {
    transaction {
        for job in update jobs set status = 'running', worker = self + 1 where status = 'queued' returning id, worker {
            assert job.worker == self + 1
            seen[job.id] += 1
            runs += 1
            update jobs set status = 'done' where id = job.id
        }
    }
}
invariant once: seen[1] <= 1 and seen[2] <= 1 and seen[3] <= 1
final every_job_ran: runs == 3
expect safe
