// A column's `null` and `unique` come in either order (round 15 met `email unique null` refused
// with a bare syntax error); one said twice is an error.
model m
table users(id key, email unique null, name null unique, nick null null) { (1, null, null, null) }
process W {
    insert into users values (2, 5, 5, 5)
}
invariant ok: true
