// A table's declared room is all it has: the fourth insert finds the outbox full.
model table_full_declared_room
runtime threads
table outbox(id key, sent) rows 3 { }
process Handler[2] {
    let i = 0
    while i < 2 {
        insert into outbox values (self * 2 + i, 0)
        i += 1
    }
}
