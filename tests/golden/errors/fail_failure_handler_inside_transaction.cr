// From issue 11: a statement inside a transaction fails with its transaction, which holds the handler.
model m
table users(id key, name) { }
process Signup {
    transaction {
        insert into users values (1, self) on failure retry at most 3
    }
}
