// Benchmark: N threads each increment a shared counter K times with a plain read-modify-write
// (counter += 1 is a read step and a write step), so updates get lost. Scales with --set N=.
model counter
const N = 4
const K = 2
shared counter = 0
ghost increments = 0

process Inc[N] {
    let i = 0
    while i < K {
        counter += 1
        increments += 1
        i = i + 1
    }
}

// The lost update is found at once; the benchmark explores everything with `final` only
// checked at the end, so it measures the full state space.
final all_counted: counter <= increments
expect safe
