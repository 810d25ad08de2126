// The classic withdraw race for every amount and every starting balance at once: `param`
// leaves both open, over ranges no enumeration could cover (10^18 combinations). The explicit
// engine refuses the model and says why; `racecheck --engine z3` finds the race, shows the
// values it picked, and the explicit engine replays that very run to confirm it.
// The account holds start - debited (variables start from constants, so the balance is kept as
// what has been taken from it).
model withdraw_param
runtime threads

param amount in 1..1000000000
param start in 0..1000000000
shared debited = 0
ghost withdrawn = 0

process Withdraw[2] {
    let d = debited                 // read the balance: one step
    if start - d >= amount {
        debited = d + amount        // write it: another step; the other request may run in between
        withdrawn += amount
    }
}

invariant no_overdraft: start - debited >= 0
invariant conservation: start - debited + withdrawn == start
expect violation conservation
