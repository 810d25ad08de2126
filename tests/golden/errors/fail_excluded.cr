// 'excluded' is the row an insert proposes: only a do update has one, and it has the table's
// columns (issue 11: on conflict do update)
model m
table users(id key, email unique, tries) { }
process P {
    insert into users values (1, 7, 0) on conflict (email) do update set tries = excluded.attempts
    update users set tries = excluded.tries where id = 1
    insert into users values (2, 7, 0) on conflict (email) do update set tries = accounts.tries
}
