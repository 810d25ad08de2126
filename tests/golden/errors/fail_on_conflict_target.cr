// 'on conflict' must name the key or a unique constraint, as PostgreSQL's 42P10 (issue 11: on conflict)
model m
table users(id key, org, email unique, tries, unique (org, email)) { }
process P {
    insert into users values (1, 1, 7, 0) on conflict (tries) do nothing
    insert into users values (2, 1, 7, 0) on conflict (email, org) do nothing
    insert into users values (3, 1, 7, 0) on conflict (mail) do nothing
}
