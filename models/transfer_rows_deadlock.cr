// Two transactions update the same two rows in opposite orders: Transfer[0] moves $10 from
// account 1 to account 2, Transfer[1] from account 2 to account 1. Each update locks its row
// until commit, so each waits for the row the other holds. Unlike two mutexes
// (transfer_deadlock.cr), the database detects the cycle and aborts one transaction with a
// deadlock error: nobody hangs, but one request fails. racecheck reports that failure. The fix:
// update rows in key order. A retry alone (`on failure retry at most 3`) is not one: the
// victim's retry may lock its first row again before the survivor takes it, and deadlock again,
// so every bounded retry can run out (racecheck finds that run).
model transfer_rows_deadlock
runtime threads

table accounts(id key, balance) { (1, 100), (2, 50) }

process Transfer[2](from_id = 1 + self, to_id = 2 - self, amount = 10) {
    transaction {
        update accounts set balance = balance - amount where id = from_id
        update accounts set balance = balance + amount where id = to_id
    }
}

// The aborted transaction is rolled back, so money is still conserved.
final conservation: accounts[1].balance + accounts[2].balance == 150
expect failure
