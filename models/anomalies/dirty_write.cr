// Dirty write: never, at any isolation level. A writes 1 and rolls back; B writes 2 meanwhile.
// B's update waits for A's row lock, so it cannot overwrite A's uncommitted 1, and A's rollback
// cannot wipe out B's committed 2. PostgreSQL's weakest level (read committed, which is also
// what it gives for read uncommitted) already prevents it.
model dirty_write
runtime threads

table t(id key, v) { (1, 0) }

process A {
    transaction {
        update t set v = 1 where id = 1
        rollback
    }
}

process B {
    update t set v = 2 where id = 1
}

final b_survives: t[1].v == 2
expect safe
