// Options as Redis clients write them, or that racecheck does not model, each said in its own
// words (round 13: 'PX' read as an undeclared name, EXPIRE's NX as an option Redis lacks).
model m
redis { lease, hits }
process W {
    redis.SET(lease, 1, NX, PX, 30000)
    redis.SET(lease, 1, EXAT, 100)
    let c = redis.INCR(hits)
    redis.EXPIRE(hits, 60, NX)
    redis.PEXPIRE(hits, 60, GT)
}
invariant ok: true
