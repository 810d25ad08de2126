// Benchmark (issue 15): N identical withdrawals of A from a balance of A * N / 2, each behind one
// mutex, so half of them find the balance short. The instances are interchangeable (symmetry
// reduction). Expected: safe. Scales with --set N=.
model withdraw_mutex
const N = 4
const A = 10
const B = A * N / 2
shared balance = B
ghost withdrawn = 0
lock mu

process W[N] {
    lock mu {
        let b = balance
        if b >= A {
            balance = b - A
            withdrawn += A
        }
    }
}

invariant conservation: balance + withdrawn == B and balance >= 0
