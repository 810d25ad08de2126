// A newcomer writes SQL as in psql: keywords in capitals.
model m
table accounts(id key, balance) { (1, 100) }
process W {
    transaction {
        let b = SELECT balance FROM accounts WHERE id = 1
    }
}
