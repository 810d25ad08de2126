// One lease per job, taken with SET NX PX by whichever worker picks the job up: workers on
// different jobs never wait for each other, and two workers on one job are kept apart, but only
// while the lease lasts. A lease may run out while its holder still works (a GC pause, a slow
// network); then a second worker takes the same job's lease and both process the job at once.
// `inside[job]` counts the workers processing each job.
//   def work(job):
//       if r.set(f"lease:{job}", me, nx=True, px=30000):
//           try: process(job)
//           finally:                      # delete the lease only while it is still ours
//               release_script(keys=[f"lease:{job}"], args=[me])
model lease_per_job
runtime threads

const JOBS = 2
redis { lease[JOBS] }
shared inside[JOBS] = 0

// Each worker is handed some job (a queue, a cron tick, a retry of it).
process Worker[3](job in 0..JOBS - 1) {
    if redis.SET(lease[job], self + 1, NX, PX = 30000) {
        inside[job] += 1
        inside[job] -= 1
        redis.eval {
            if redis.GET(lease[job]) == self + 1 {
                redis.DEL(lease[job])
            }
        }
    }
}

invariant one_worker_per_job: inside[0] <= 1 and inside[1] <= 1
// Every lease taken is given back or carries a time to live, so no job stays locked for good.
final no_lease_left: redis.lease[0] is null and redis.lease[1] is null
expect violation one_worker_per_job
