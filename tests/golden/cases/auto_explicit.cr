// racecheck-args: --engine auto
// Issue 15: --engine auto picks the explicit engine when the initial states are few (here 3,
// one per value of amount) and says so at the end of the report.
model auto_explicit
runtime threads
param amount in 1..3
shared balance = 4
ghost withdrawn = 0
process Withdraw[2] {
    let b = balance
    if b >= amount {
        balance = b - amount
        withdrawn += amount
    }
}
invariant conservation: balance + withdrawn == 4
expect violation conservation
