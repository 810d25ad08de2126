// A worker that may die after a pop loses the job, but the final below cannot say so: the worker
// that stays pops forever and every run ends with it waiting on the empty list ('allow deadlock'
// accepts that), so no state has every instance done and the final is never evaluated. A
// warning says so, where the verdict alone would say the property holds.
model final_never_evaluated_no_run_ends
runtime threads

redis { jobs: list(2) = [1, 2] }
shared handled[1..2] = 0

process Fragile {
    while true {
        let job = redis.BRPOP(jobs)
        may crash
        handled[job] += 1
    }
}
process Steady {
    while true {
        let job = redis.BRPOP(jobs)
        handled[job] += 1
    }
}

final no_job_lost: (contains(redis.jobs, 1) or handled[1] >= 1) and (contains(redis.jobs, 2) or handled[2] >= 1)
allow deadlock
