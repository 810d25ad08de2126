// FOR UPDATE OF a table.
model hint_for_update_of
table a(id key, v) { (1, 0) }
process P {
    transaction {
        let v = select v from a where id = 1 for update of a
    }
}
