// The classic ORM race: read the balance, compute the new one in the handler, write it back.
//   b = Account.get(1).balance; if b >= amount: Account.filter(id=1).update(balance=b - amount)
// A transaction at the default isolation (read committed) does not help: both requests read
// $100 before either updates, the second update waits for the first one's row lock and then
// overwrites $20 with $20. $160 leaves an account that held $100.
model withdraw_read_then_write
runtime threads

table accounts(id key, balance) { (1, 100) }
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    transaction {
        let b = select balance from accounts where id = 1
        if b >= amount {
            update accounts set balance = b - amount where id = 1    // b is stale by now
            withdrawn += amount
        }
    }
}

invariant no_overdraft: accounts[1].balance >= 0
final conservation: accounts[1].balance + withdrawn == 100
expect violation conservation
