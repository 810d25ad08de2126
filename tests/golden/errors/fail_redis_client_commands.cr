// Commands as a Redis client library spells them, which racecheck writes otherwise (round 19):
// MULTI/EXEC is a block, SETEX an option of SET, BLPOP waits on one list, and DISCARD and
// UNWATCH are not modelled.
model fail_redis_client_commands
redis { balance = 100, lease, a: list(2), b: list(2) }
process P {
    redis.WATCH(balance)
    redis.MULTI()
    redis.DECRBY(balance, 10)
    redis.EXEC()
    redis.SETEX(lease, 10, 1)
    redis.UNWATCH()
    let v = redis.BLPOP(a, b)
}
