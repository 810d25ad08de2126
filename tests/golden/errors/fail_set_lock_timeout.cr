// "set lock_timeout": racecheck models no timeouts
model m
table t(id key, v) { (1, 0) }
process P {
    transaction {
        set lock_timeout = 100
        update t set v = 1 where id = 1
    }
}
