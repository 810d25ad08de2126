// Optimistic concurrency control: every row carries a version. Read balance and version,
// then update only if the version is still the one read, bumping it. If another request
// updated the row in between, the update changes no row: read again and retry, at most 3
// times. No row lock is held between the read and the write. The cost: the request that lost
// the race reads and tries again; `retries` counts how often, and one retry is all it ever takes.
model withdraw_optimistic
runtime threads

table accounts(id key, balance, version) { (1, 100, 0) }
ghost withdrawn = 0
ghost retries = 0

process Withdraw[2](amount = 80) {
    retry at most 3 {
        let (b, v) = select balance, version from accounts where id = 1
        if b < amount {
            break                       // not enough money: give up
        }
        let n = update accounts set balance = b - amount, version = v + 1
                where id = 1 and version = v
        if n == 0 {
            retries += 1
            continue                    // the version moved on: somebody else wrote; retry
        }
        withdrawn += amount
    }
}

invariant no_overdraft: accounts[1].balance >= 0
invariant conservation: accounts[1].balance + withdrawn == 100
cover one_withdrawal: withdrawn == 80
cover retried: retries == 1
invariant at_most_one_retry: retries <= 1
expect safe
