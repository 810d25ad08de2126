// Benchmark (issue 15, a slow z3 case): mutual exclusion written as a product of two
// variables, `inside_a * inside_b == 0`, as users write it; bench/mutex_boolean.cr states the
// same property in boolean form. N workers on each side share one lock around a critical
// section of two steps. Safe. Scales with --set N=.
model mutex_product
runtime threads
const N = 2

lock mu
shared inside_a = 0
shared inside_b = 0
ghost done = 0

process A[N] {
    lock mu {
        inside_a += 1
        inside_a -= 1
    }
    done += 1
}

process B[N] {
    lock mu {
        inside_b += 1
        inside_b -= 1
    }
    done += 1
}

invariant exclusive: inside_a * inside_b == 0
final all_done: done == 2 * N
expect safe
