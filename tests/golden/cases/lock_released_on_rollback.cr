// From issue 11: a rollback inside a lock block releases the lock on its way out of the transaction.
model m
table t(id key, v) { (1, 0) }
lock mu
process P[2] {
    transaction {
        lock mu {
            update t set v = v + 1 where id = 1
            rollback
        }
    }
    lock mu { update t set v = v + 1 where id = 1 }
}
final done: t[1].v == 2
expect safe
