// Workers claim jobs by writing their id into a nullable column, as handlers do:
//   SELECT claimed_by FROM jobs WHERE id = 1;                        -- NULL: nobody has it
//   UPDATE jobs SET claimed_by = :worker WHERE id = 1;
// Both workers read NULL before either writes, both run the job, and the second write
// silently replaces the first. (Before racecheck had NULL, the select read 0 and the trace
// said claimed_by = 0, which looked like worker 0.) The fix is one statement that checks and
// claims, and looks at the rows it changed:
//   UPDATE jobs SET claimed_by = :worker WHERE id = 1 AND claimed_by IS NULL;   -- 1: ours
// Job 2 is claimed that way here, and is claimed once.
model job_claim_nullable
runtime threads

table jobs(id key, claimed_by null) { (1, null), (2, null) }
ghost runs_1 = 0
ghost runs_2 = 0

process Worker[2] {
    let owner = select claimed_by from jobs where id = 1
    if owner is null {
        update jobs set claimed_by = self where id = 1
        runs_1 += 1
    }
    let n = update jobs set claimed_by = self where id = 2 and claimed_by is null
    if n == 1 {
        runs_2 += 1
    }
}

invariant job_1_once: runs_1 <= 1
invariant job_2_once: runs_2 <= 1
final job_2_claimed: jobs[2].claimed_by is not null
expect violation job_1_once
