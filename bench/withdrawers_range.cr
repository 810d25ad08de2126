// Benchmark for comparing the engines: N withdrawals, each of any amount in 1..MAX, from a
// balance that starts anywhere in 0..MAX, behind one mutex (the fixed handler), so both engines
// must cover everything. With a small MAX the explicit engine enumerates every value; with
// MAX = 1000000000 it refuses and only the z3 engine can answer. Scales with --set N= and MAX=.
// The account holds start - debited (as when these numbers were measured).
model withdrawers_range
const N = 4
const MAX = 3
param start in 0..MAX
shared debited = 0
ghost withdrawn = 0
lock mu

process Withdraw[N](amount in 1..MAX) {
    lock mu {
        let d = debited
        if start - d >= amount {
            debited = d + amount
            withdrawn += amount
        }
    }
}

invariant no_overdraft: debited <= start
invariant conservation: start - debited + withdrawn == start
expect safe
