// A reliable queue, the pattern the Redis documentation gives for LMOVE: a worker moves a job
// from `jobs` to `processing` in one atomic command, does the work, and only then removes the
// job from `processing`. At every moment each job is waiting, being worked on, or done, so a
// worker that dies in the middle of a job (an uncaught exception, a killed pod) leaves the job in
// `processing`, where a reaper can put it back; with a plain RPOP the job would be gone. Two
// workers that may die between any two of their steps drain three jobs: no job is ever lost, and
// none is done twice.
//
//   while True:                                                   # redis-py
//       job = r.lmove("jobs", "processing", "RIGHT", "LEFT")
//       if job is None:
//           break
//       handle(job)                                               # e.g. sends an email
//       r.lrem("processing", 1, job)
model reliable_queue_lmove
runtime threads

redis { jobs: list(3) = [1, 2, 3], processing: list(3) }
shared sent[1..3] = 0                           // what handle(job) does, once per job

process Worker[2] may crash {
    while true {
        let job = redis.LMOVE(jobs, processing, RIGHT, LEFT)
        if job == null {
            break                               // the queue is empty
        }
        sent[job] += 1                          // handle(job)
        redis.LREM(processing, 1, job)          // only now is the job off the queue
    }
}

invariant job_1_kept: contains(redis.jobs, 1) or contains(redis.processing, 1) or sent[1] > 0
invariant job_2_kept: contains(redis.jobs, 2) or contains(redis.processing, 2) or sent[2] > 0
invariant job_3_kept: contains(redis.jobs, 3) or contains(redis.processing, 3) or sent[3] > 0
invariant once: sent[1] <= 1 and sent[2] <= 1 and sent[3] <= 1
cover two_in_flight: len(redis.processing) == 2
cover a_crash_leaves_a_job: len(redis.jobs) == 0 and len(redis.processing) == 1 and sent[1] + sent[2] + sent[3] == 3
cover a_crash_leaves_a_job_undone: len(redis.jobs) == 0 and len(redis.processing) == 1 and sent[1] + sent[2] + sent[3] == 2
expect safe
