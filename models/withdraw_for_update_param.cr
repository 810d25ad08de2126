// withdraw_for_update.cr for every amount at once: three requests of any amount up to
// $1,000,000,000 against a balance of $1,000,000,000. `racecheck --engine z3` proves that no
// interleaving and no amount overdraws (the explicit engine would have to enumerate 10^9
// initial states, and refuses).
model withdraw_for_update_param
runtime threads

param amount in 1..1000000000
table accounts(id key, balance) { (1, 1000000000) }
ghost withdrawn = 0

process Withdraw[3] {
    transaction {
        let b = select balance from accounts where id = 1 for update
        if b >= amount {
            update accounts set balance = b - amount where id = 1
            withdrawn += amount
        }
    }
}

invariant no_overdraft: accounts[1].balance >= 0
final conservation: accounts[1].balance + withdrawn == 1000000000
cover two_withdrawals: withdrawn == 2 * amount
expect safe
