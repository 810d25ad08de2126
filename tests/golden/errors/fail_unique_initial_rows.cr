// initial rows that break a unique constraint (issue 11: unique constraints)
model m
table users(id key, org, email unique, unique (org, id)) { (1, 1, 7), (2, 1, 7) }
process P {
    insert into users values (3, 1, 8)
}
