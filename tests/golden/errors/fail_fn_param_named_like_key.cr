// A fn parameter named like a Redis key: in a command the name is the key, so the parameter would
// go unused without a word (round 19: `fn take(lease) { redis.SET(lease, ...) }`).
model m
redis { lease }
ghost g = 0
fn take(lease) {
    if redis.SET(lease, 1, NX) {
        g += 1
    }
}
process P[2] { take(5) }
