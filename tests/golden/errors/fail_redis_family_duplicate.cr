// A key family's name is a key name of its keyspace: declared twice, it is refused.
model fail_redis_family_duplicate

redis { hits[2] = 0, hits = 1 }

process P {
    redis.INCR(hits[0])
}
