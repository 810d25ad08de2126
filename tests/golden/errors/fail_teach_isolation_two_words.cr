// The isolation level written as PostgreSQL spells it, in two words.
model m
table accounts(id key, balance) { (1, 100) }
process W {
    transaction isolation repeatable read {
        update accounts set balance = 0 where id = 1
    }
}
