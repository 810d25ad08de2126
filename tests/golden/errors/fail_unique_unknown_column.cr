// table constraints naming a column the table does not have (issue 11: unique and check constraints)
model m
table users(id key, email, unique (org, email)) { }
process P {
    insert into users values (1, 7)
}
