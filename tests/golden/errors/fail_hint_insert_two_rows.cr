// A multi-row insert.
model hint_insert_two_rows
table a(id key, v) { }
process P {
    insert into a values (1, 1), (2, 2)
}
