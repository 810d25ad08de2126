// withdraw_for_update_param.cr with the starting balance in the table: every balance from $0 to
// $1,000,000,000 at once, for two requests of any amount up to $1,000,000,000.
//   BEGIN;
//   SELECT balance FROM accounts WHERE id = 1 FOR UPDATE;
//   UPDATE accounts SET balance = :b - :amount WHERE id = 1;   -- when :b >= :amount
//   COMMIT;
// `racecheck --engine z3` proves that no balance, amount or interleaving overdraws (the
// explicit engine would have to enumerate 10^18 initial states, and refuses).
model withdraw_for_update_param_row
runtime threads

param START in 0..1000000000
param amount in 1..1000000000
table accounts(id key, balance) { (1, START) }
ghost withdrawn = 0

process Withdraw[2] {
    transaction {
        let b = select balance from accounts where id = 1 for update
        if b >= amount {
            update accounts set balance = b - amount where id = 1
            withdrawn += amount
        }
    }
}

invariant no_overdraft: accounts[1].balance >= 0
final conservation: accounts[1].balance + withdrawn == START
cover two_withdrawals: withdrawn == 2 * amount
expect safe
