// A Redis key passed to a fn as a value, as client code passes a key string (round 19: the
// messages said the declared key was not declared, and the fn's parameter was no key).
model fail_redis_key_as_value
redis { lease_a, lease_b }
fn take(key, token) {
    return redis.SET(key, token, NX, PX = 30)
}
process P[2] {
    let ok = take(lease_a, self + 1)
}
