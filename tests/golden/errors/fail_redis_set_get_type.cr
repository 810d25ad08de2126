// SET ... GET gives the old value (or null), not whether it set
model m
redis { lease }
process P {
    if redis.SET(lease, 1, NX, GET) {
        skip
    }
}
