// Keys racecheck refuses when it compiles a model: a duplicate initial key, a statement that
// would change a row's key, an insert that gives none (added with the database semantics).
model m
table accounts(id key, balance) { (1, 100), (1, 50) }
process P {
    update accounts set id = 2 where id = 1
    insert into accounts (balance) values (10)
}
