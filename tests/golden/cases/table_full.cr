// An insert inside a loop counts once toward a table's room, so two events each from two
// handlers fill the two rows racecheck gives the outbox: a runtime error that says to declare
// the room with 'rows N' (models/outbox_relay.cr does).
model table_full
runtime threads
table outbox(id key, sent) { }
process Handler[2] {
    let i = 0
    while i < 2 {
        insert into outbox values (self * 2 + i, 0)
        i += 1
    }
}
