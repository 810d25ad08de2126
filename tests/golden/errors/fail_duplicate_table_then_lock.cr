// A table and a lock with one name: the error is at the later declaration (line 5), which
// the resolver takes first, as locks come before tables.
model dup_table_then_lock
table accounts(id key, v) { (1, 0) }
lock accounts
process P {
    update accounts set v = 1 where id = 1
}
