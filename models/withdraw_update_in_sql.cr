// The withdraw race fixed by letting the database do the check and the arithmetic in one
// statement: `UPDATE accounts SET balance = balance - 80 WHERE id = 1 AND balance >= 80`.
// The update reads the current balance under the row lock, so the second request sees $20,
// its condition fails, and it changes no row. The handler learns the outcome from the number
// of rows changed. No transaction needed: the statement is atomic on its own.
model withdraw_update_in_sql
runtime threads

table accounts(id key, balance) { (1, 100) }
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let n = update accounts set balance = balance - amount where id = 1 and balance >= amount
    if n == 1 {
        withdrawn += amount             // rides along with the update: the same step
    }
}

invariant no_overdraft: accounts[1].balance >= 0
invariant conservation: accounts[1].balance + withdrawn == 100
cover one_withdrawal: withdrawn == 80
expect safe
