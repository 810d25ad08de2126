// A reliable queue, the pattern the Redis documentation gives for LMOVE: a worker moves a job
// from `jobs` to `processing` in one atomic command, does the work, and only then removes the
// job from `processing`. At every moment each job is waiting, being worked on or done, so a
// worker that dies in the middle of a job leaves it in `processing`, where a reaper can put it
// back (a plain RPOP would lose it). Two workers drain three jobs; each job is handled once.
//
//   while True:                                                   # redis-py
//       job = r.lmove("jobs", "processing", "RIGHT", "LEFT")
//       if job is None:
//           break
//       handle(job)
//       r.lrem("processing", 1, job)
model reliable_queue_lmove
runtime threads

redis { jobs: list(3) = [1, 2, 3], processing: list(3) }
ghost done[1..3] = false
ghost handled = 0

process Worker[2] {
    while true {
        let job = redis.LMOVE(jobs, processing, RIGHT, LEFT)
        if job == null {
            break                               // the queue is empty
        }
        redis.LREM(processing, 1, job)          // after handle(job): the job is done
        done[job] = true
        handled += 1
    }
}

invariant job_1_kept: contains(redis.jobs, 1) or contains(redis.processing, 1) or done[1]
invariant job_2_kept: contains(redis.jobs, 2) or contains(redis.processing, 2) or done[2]
invariant job_3_kept: contains(redis.jobs, 3) or contains(redis.processing, 3) or done[3]
invariant handled_once: handled <= 3
final all_handled: handled == 3 and len(redis.jobs) == 0 and len(redis.processing) == 0
cover two_in_flight: len(redis.processing) == 2
expect safe
