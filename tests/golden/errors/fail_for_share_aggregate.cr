// From issue 11 (for share): PostgreSQL refuses FOR SHARE with an aggregate (0A000), as it does
// FOR UPDATE (fail_for_update_aggregate.cr).
model m
table t(id key, v) { (1, 0), (2, 0) }
process P {
    transaction {
        let n = select sum(v) from t where v = 0 for share nowait
    }
}
