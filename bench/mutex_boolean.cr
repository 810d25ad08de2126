// Benchmark (issue 15): bench/mutex_product.cr with its property in boolean form,
// `inside_a == 0 or inside_b == 0`, the comparison for the product form; the rest is the
// same. N workers on each side share one lock around a critical
// section of two steps. Safe. Scales with --set N=.
model mutex_boolean
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

invariant exclusive: inside_a == 0 or inside_b == 0
final all_done: done == 2 * N
expect safe
