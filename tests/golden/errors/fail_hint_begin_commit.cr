// BEGIN ... COMMIT as statements: a transaction is a block.
model hint_begin_commit
table t(id key, v) { (1, 0) }
process P {
    begin
    update t set v = 1 where id = 1
    commit
}
