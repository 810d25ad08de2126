// a check constraint may use only the row's columns and constants (issue 11: check constraints)
model m
shared ceiling = 5
param cap in 1..2
table accounts(id key, balance, check (balance <= ceiling), check (balance <= cap)) { }
process P {
    insert into accounts values (1, 7)
}
