// The withdraw race fixed in the database: `select ... for update` locks the row until the
// transaction ends, so the second request's select waits until the first has committed its
// new balance, and then reads $20.
//   BEGIN; SELECT balance FROM accounts WHERE id = 1 FOR UPDATE;
//   UPDATE accounts SET balance = :b - :amount WHERE id = 1; COMMIT;
model withdraw_for_update
runtime threads

table accounts(id key, balance) { (1, 100) }
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    transaction {
        let b = select balance from accounts where id = 1 for update
        if b >= amount {
            update accounts set balance = b - amount where id = 1
            withdrawn += amount
        }
    }
}

invariant no_overdraft: accounts[1].balance >= 0
// Checked when every request has finished: in the middle of a transaction the ghost already
// counts money whose new balance is not committed yet.
final conservation: accounts[1].balance + withdrawn == 100
cover one_withdrawal: withdrawn == 80
expect safe
