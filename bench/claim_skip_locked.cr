// N workers claim jobs under their own id: the first free job they can lock (SKIP LOCKED),
// written into a nullable owner column and read back. Symmetry with tokens in a table column
// (docs/semantics.md, "Symmetry") keeps one state per orbit: bench numbers in
// docs/performance.md ("Tokens in table columns"). Expected: safe.
model claim_skip_locked
runtime threads
const N = 3
table jobs(id key, owner null) { (1, null), (2, null), (3, null) }
ghost runs = 0
ghost wrong = 0
process Worker[N] {
    transaction {
        let job = select id from jobs where owner is null order by id limit 1 for update skip locked
        if job != null {
            update jobs set owner = self + 1 where id = job
            let mine = select owner from jobs where id = job
            if mine != self + 1 {
                wrong += 1
            }
            runs += 1
        }
    }
}
invariant ok: wrong == 0 and runs <= 3
final all_claimed: count(jobs where owner is null) == 0
