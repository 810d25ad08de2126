// a check constraint is a condition (issue 11: check constraints)
model m
table accounts(id key, balance, check (balance + 1)) { }
process P {
    insert into accounts values (1, 7)
}
