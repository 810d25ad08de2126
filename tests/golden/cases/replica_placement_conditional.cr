// Placement by a conditional (round 19: refused before 2026-12-07): Api[0] and Api[1] on replica
// 0, Api[2] on replica 1. Each replica keeps its own in-memory counter, so a limit of 2 per
// process holds on each replica but lets 3 requests through in all.
model replica_placement_conditional
runtime threads(replicas = 2)
shared served = 0
ghost admitted = 0
process Api[3] on replica if self < 2 then 0 else 1 {
    atomic {
        if served < 2 {
            served += 1
            admitted += 1
        }
    }
}
invariant at_most_two: admitted <= 2
expect violation at_most_two
