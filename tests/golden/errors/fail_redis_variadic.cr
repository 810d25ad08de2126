// Redis pushes several values in one call; racecheck takes one a call, and says how to
// keep several one step (round 13).
model m
redis { q: list(3) }
process W {
    redis.LPUSH(q, 1, 2)
    redis.RPUSH(q, 1, 2, 3)
}
invariant ok: true
