// A crash inside a fn is named as the fn's other statements are: its line in the fn and the call
// it came from. A worker moves a job with the blocking BLMOVE inside take(), may die right after,
// and is retried once: the retry then waits for a job that never comes (issue 12).
model fn_crash_in_call
runtime threads
redis { jobs: list(2) = [1, 2], processing: list(2) }
ghost done = 0

fn take() {
    let j = redis.BLMOVE(jobs, processing, RIGHT, LEFT)
    may crash
    return j
}

process W[2] on crash retry at most 1 {
    let j = take()
    done += 1
    redis.LREM(processing, 1, j)
}

invariant kept: contains(redis.jobs, 1) or contains(redis.processing, 1) or done >= 1
expect deadlock
