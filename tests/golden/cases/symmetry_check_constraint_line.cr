// A token stored into a column that a check constraint compares with <: the instances are not
// interchangeable, and the reason is said at the check (line 6), not at the update that stores
// the token (until 2026-12-07 it named line 10).
model symmetry_check_constraint_line
runtime threads
table jobs(id key, owner, check (owner < 5)) { (1, 0) }

process W[2] {
    transaction {
        update jobs set owner = self + 1 where id = 1
    }
}
invariant ok: jobs[1].owner >= 0
