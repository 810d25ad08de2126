// racecheck-args: --engine auto
// Issue 15: --engine auto picks the z3 engine when the value ranges make more initial states
// than the explicit engine should enumerate (here 10^18), and says so at the end of the report.
model auto_z3
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
cover withdrew: withdrawn > 0
expect safe
