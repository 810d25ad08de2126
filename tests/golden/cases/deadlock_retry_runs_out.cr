// Two transfers in opposite row orders, the deadlock victim retried at most 3 times: the retry
// may lock its first row again before the survivor takes it, and deadlock again, until the
// retries run out (the tutorial's section 7, round 31).
model deadlock_retry_runs_out
runtime threads

table accounts(id key, balance) { (1, 100), (2, 50) }

process Transfer[2](from_id = 1 + self, to_id = 2 - self, amount = 10) {
    transaction {
        update accounts set balance = balance - amount where id = from_id
        update accounts set balance = balance + amount where id = to_id
    } on failure retry at most 3
}

// The aborted transaction is rolled back, so money is still conserved.
final conservation: accounts[1].balance + accounts[2].balance == 150
expect failure
