// 'do update' must say which duplicate it updates, as PostgreSQL's "ON CONFLICT DO UPDATE requires
// inference specification" (issue 11: on conflict do update)
model m
table users(id key, email unique, tries) { }
process P {
    insert into users values (1, 7, 0) on conflict do update set tries = tries + 1
}
