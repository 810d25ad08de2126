// withdraw_param.cr with the read, the check and the write under one mutex: `racecheck
// --engine z3` proves it for every amount and every starting balance at once (the explicit
// engine would have to enumerate 10^18 initial states, and refuses).
model withdraw_param_mutex
runtime threads

param amount in 1..1000000000
param start in 0..1000000000
shared balance = start
ghost withdrawn = 0
lock mu

process Withdraw[2] {
    lock mu {
        let b = balance
        if b >= amount {
            balance = b - amount
            withdrawn += amount
        }
    }
}

invariant no_overdraft: balance >= 0
invariant conservation: balance + withdrawn == start
cover one_withdrawal: withdrawn == amount
expect safe
