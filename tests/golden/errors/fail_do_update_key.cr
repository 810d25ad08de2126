// A do update, as an update, keeps the key (issue 11: on conflict do update)
model m
table users(id key, email unique, tries) { }
process P {
    insert into users values (1, 7, 0) on conflict (email) do update set id = excluded.id + 1
}
