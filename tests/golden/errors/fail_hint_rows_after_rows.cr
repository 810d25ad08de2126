// A table's room written after its rows: it goes between the columns and the rows.
model hint_rows_after_rows
table outbox(id key, sent) { } rows 4
process P {
    insert into outbox values (1, 0)
}
