// SQL's '<>' for not equal: racecheck writes '!='.
model hint_not_equal
table t(id key, v) { (1, 0), (2, 0) }
process P {
    update t set v = 1 where id <> 2
}
