// Dirty read: never, at any isolation level. A writes 1 and rolls back; B, even at read
// committed (PostgreSQL's weakest level), only ever sees committed data, so it reads 0.
model dirty_read
runtime threads

table t(id key, v) { (1, 0) }

process A {
    transaction {
        update t set v = 1 where id = 1
        rollback
    }
}

process B {
    transaction {
        let x = select v from t where id = 1
        assert x == 0 "B read A's uncommitted write"
    }
}

expect safe
