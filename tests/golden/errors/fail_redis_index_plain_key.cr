// An index on a single key (in a command, an LMOVE destination, a property) is refused.
model fail_redis_index_plain_key

redis { lease, jobs[2]: list(2), done: list(2) }

process P {
    redis.SET(lease[self], 1, NX)
    redis.LMOVE(jobs[0], done[1], LEFT, RIGHT)
}

invariant held: redis.lease[0] is null
