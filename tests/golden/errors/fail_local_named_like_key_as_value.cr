// A local named like a Redis key, passed as a command's value: a command's arguments name keys
// first, so the name is the key there, not the local (round 19).
model m
redis { owner, seen }
process P[2] {
    let owner = redis.GET(owner)
    redis.SET(seen, owner)
}
