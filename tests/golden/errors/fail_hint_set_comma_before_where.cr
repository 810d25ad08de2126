// A comma left before where.
model hint_set_comma_before_where
table a(id key, v) { (1, 0) }
process P {
    update a set v = v + 1, where id = 1
}
