// Serializable transactions track their conflicts with one bit per process instance, so a
// model that uses them runs at most 30 instances (added with the database semantics).
model m
table t(id key, v) { (1, 0) }
process P[31] {
    transaction isolation serializable {
        update t set v = v + 1 where id = 1
    }
}
