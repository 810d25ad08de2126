// Redis accepts EXPIRE, PEXPIRE, TTL and PERSIST on a list, hash or set; racecheck keeps times
// to live on plain keys only, and says so rather than claiming Redis would refuse (round 10).
model m
redis { h: hash(2), s: set(2), q: list(2) }
process W {
    redis.HSET(h, 1, 1)
    redis.PEXPIRE(h, 100)
    redis.SADD(s, 1)
    redis.EXPIRE(s, 1)
    let left = redis.TTL(q)
}
invariant ok: true
