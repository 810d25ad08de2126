// racecheck-args: --engine auto --max-states 100
// Issue 15: --max-states counts the explicit engine's states; when --engine auto picks the z3
// engine a note says the limit does not apply, and the z3 engine finds the race.
model auto_z3_max_states
runtime threads
param amount in 1..1000000000
param start in 0..1000000000
shared balance = start
ghost withdrawn = 0
process Withdraw[2] {
    let b = balance
    if b >= amount {
        balance = b - amount
        withdrawn += amount
    }
}
invariant conservation: balance + withdrawn == start
expect violation conservation
