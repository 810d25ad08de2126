// The classic withdraw race for every amount and every starting balance at once: `param`
// leaves both open, over ranges no enumeration could cover (10^18 combinations). The explicit
// engine refuses the model and says why; `racecheck --engine z3` finds the race, shows the
// values it picked, and the explicit engine replays that very run to confirm it.
model withdraw_param
runtime threads

param amount in 1..1000000000
param start in 0..1000000000
shared balance = start
ghost withdrawn = 0

process Withdraw[2] {
    let b = balance                 // read the balance: one step
    if b >= amount {
        balance = b - amount        // write it: another step; the other request may run in between
        withdrawn += amount
    }
}

invariant no_overdraft: balance >= 0
invariant conservation: balance + withdrawn == start
expect violation conservation
