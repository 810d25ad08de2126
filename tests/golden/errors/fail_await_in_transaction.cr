// A bare await (an HTTP call, say) between two statements of a transaction
model m
runtime event_loop
table accounts(id key, balance) { (1, 100) }
process P {
    transaction {
        let b = select balance from accounts where id = 1
        await
        update accounts set balance = b - 10 where id = 1
    }
}
