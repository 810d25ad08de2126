// TTL of a key family whose members may carry a lease (some member is SET with PX): refused as
// for a single key, whichever member it names.
model fail_redis_family_ttl_lease
redis { lease[2], hits[2] = 0 }
process P {
    redis.SET(lease[self], 1, NX, PX = 30)
    let fine = redis.TTL(hits[0])
    let left = redis.TTL(lease[1])
}
