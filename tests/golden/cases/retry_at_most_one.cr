// 'on failure retry at most 1' counts every attempt, the first too: the deadlock victim is never
// retried, and a warning says so (round 10 expected one retry from it).
model retry_at_most_one
table parent(id key, n) { (1, 0) }
process T[2] {
    transaction {
        let x = select n from parent where id = 1 for share
        update parent set n = n + 1 where id = 1
    } on failure(deadlock_detected) retry at most 1
}
final both: parent[1].n == 2
expect failure
