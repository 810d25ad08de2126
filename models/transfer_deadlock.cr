// Two transfers lock both accounts, but in opposite orders: Transfer[0] locks account 0
// then account 1, Transfer[1] locks account 1 then account 0. If each takes its first lock
// before the other takes its second, both wait forever. racecheck reports the deadlock and
// who waits for whom. The fix: lock in a fixed order (the lower index first).
model transfer_deadlock
runtime threads

shared balance[0..1] = {100, 50}
lock acct[0..1]

process Transfer[2](from_acct = self, to_acct = 1 - self, amount = 10) {
    lock acct[from_acct] {
        lock acct[to_acct] {
            atomic {
                balance[from_acct] -= amount
                balance[to_acct] += amount
            }
        }
    }
}

invariant total: balance[0] + balance[1] == 150
expect deadlock
