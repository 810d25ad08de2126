// DEFAULT in values.
model hint_insert_default
table a(id key, v) { }
process P {
    insert into a values (default, 5)
}
