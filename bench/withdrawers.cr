// Benchmark: N concurrent withdrawals guarded by one mutex (the fixed handler), so the
// whole state space is explored. Scales with --set N=.
model withdrawers
const N = 4
const START = 1000
shared balance = START
ghost withdrawn = 0
lock mu

process Withdraw[N](amount = 10 + self) {
    lock mu {
        let b = balance
        if b >= amount {
            balance = b - amount
            withdrawn += amount
        }
    }
}

invariant conservation: balance + withdrawn == START
expect safe
