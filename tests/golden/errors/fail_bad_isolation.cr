// an isolation level PostgreSQL does not have
model m
table t(id key, v) { (1, 0) }
process P {
    transaction isolation snapshot {
        update t set v = 1 where id = 1
    }
}
