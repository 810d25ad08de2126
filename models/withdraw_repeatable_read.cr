// The read-then-write withdrawal of withdraw_read_then_write.cr, in a repeatable_read
// transaction. Both requests read $100 from their snapshots; the second update waits for the
// first one's row lock, and once the first commits, PostgreSQL refuses to overwrite a row that
// changed after the second's snapshot: a serialization failure (40001) instead of a lost
// update. The handler retries, as PostgreSQL's documentation says it must; the retry reads $20
// and declines. The cost: one request fails once and runs its transaction again.
//   BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT balance FROM accounts WHERE id = 1;
//   UPDATE accounts SET balance = :b - :amount WHERE id = 1; COMMIT;   -- retried on 40001
model withdraw_repeatable_read
runtime threads

table accounts(id key, balance) { (1, 100) }
ghost withdrawn = 0
ghost attempts = 0

process Withdraw[2](amount = 80) {
    let paid = false
    transaction isolation repeatable_read {
        attempts += 1
        paid = false                    // a retried attempt starts afresh
        let b = select balance from accounts where id = 1
        if b >= amount {
            update accounts set balance = b - amount where id = 1
            paid = true
        }
    } on failure retry at most 2
    if paid {
        withdrawn += amount             // only once the transaction has committed
    }
}

invariant no_overdraft: accounts[1].balance >= 0
final conservation: accounts[1].balance + withdrawn == 100
cover one_withdrawal: withdrawn == 80
// Some run needs the retry: the serialization failure really happens.
cover retried: attempts == 3
expect safe
