// Benchmark (issue 15): N optimistic withdrawals: read (balance, version) at once, give up when
// short, else a compare-and-set; a failed one is retried, at most R + 1 attempts in all.
// Every instance runs the same code, so they are interchangeable (symmetry reduction).
// Expected: safe. Scales with --set N=.
model withdraw_optimistic
const N = 2
const A = 10
const B = A * N / 2
const R = 2
shared balance = B
shared version = 0
ghost withdrawn = 0
process W[N] {
    retry at most R + 1 {
        let loc = 0
        let v = 0
        atomic {
            loc = balance
            v = version
        }
        if loc < A {
            break
        }
        let ok = false
        atomic {
            if version == v {
                balance = loc - A
                version = version + 1
                withdrawn += A
                ok = true
            }
        }
        if not ok {
            continue
        }
    }
}
invariant inv: balance + withdrawn == B and balance >= 0
