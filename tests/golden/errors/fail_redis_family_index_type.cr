// The index of a key family's member is an int.
model fail_redis_family_index_type

redis { hits[2] = 0 }

process P {
    redis.INCR(hits[true])
}

invariant bounded: redis.hits[1 == 1] <= 1
