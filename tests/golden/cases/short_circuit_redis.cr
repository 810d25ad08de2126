// `and`, `or` and `coalesce` run a Redis command on their right only when the value is not
// known yet, as JavaScript's &&, || and ?? and Python's and, or do. Round 19 found the command
// always run: a VIP's `vip or DECR(permits)` spent the permit, and the capacity was proved held.
// Here the VIP sends no DECR, so the regular request takes the permit and both get in.
model short_circuit_redis
redis { n = 0, m = 0, cached = 5, misses = 0, permits = 1 }
ghost inside = 0

process P {
    let ok = redis.INCR(n) > 5 and redis.DECR(n) >= 0
    let ok2 = redis.INCR(m) > 0 or redis.DECR(m) >= 0
    let v = coalesce(redis.GET(cached), redis.INCR(misses))
}

process Gate[2](vip = self == 0) {
    if vip or redis.DECR(permits) >= 0 {
        inside += 1
    }
}

final skipped: redis.n == 1 and redis.m == 1 and redis.misses == 0
invariant capacity: inside <= 1
expect violation capacity
