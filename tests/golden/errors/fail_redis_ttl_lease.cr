// TTL and PTTL of a key that may carry a lease: how much of it is left is not modelled
model m
redis { lease, plain = 1 }
process P {
    redis.SET(lease, 1, NX, PX = 30)
    let fine = redis.TTL(plain)
    let left = redis.PTTL(lease)
    let secs = redis.TTL(lease)
}
