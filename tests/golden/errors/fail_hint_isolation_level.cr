// PostgreSQL's "isolation level serializable": the level follows 'isolation' directly.
model hint_isolation_level
table t(id key, v) { (1, 0) }
process P {
    transaction isolation level serializable {
        update t set v = 1 where id = 1
    }
}
