// A Redis script calling a fn whose body is a Redis block: blocks do not nest, and the error
// names the call that put the inner block there (round 19).
model m
redis { k = 0 }
fn bump() {
    redis.eval {
        redis.INCR(k)
    }
}
process P[2] {
    redis.eval {
        bump()
    }
}
invariant i: redis.k <= 2
