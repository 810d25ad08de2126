// A do update's values and where clause are typed as an update's: excluded.email holds the
// email column's type (issue 11: on conflict do update)
model m
enum Status { active, blocked }
table users(id key, email unique, status Status) { }
process P {
    insert into users values (1, 7, 'active') on conflict (email) do update set status = excluded.email
    insert into users values (2, 7, 'active') on conflict (email) do update set status = 'blocked' where excluded.email
}
