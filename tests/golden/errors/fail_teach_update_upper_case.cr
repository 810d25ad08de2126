// UPDATE ... SET in capitals.
model m
table accounts(id key, balance) { (1, 100) }
process W {
    transaction {
        UPDATE accounts SET balance = 0 WHERE id = 1
    }
}
