// A key family names one member at a time: `hits` alone, in a command or a property, is refused.
model fail_redis_family_no_index

redis { hits[2] = 0 }

process P {
    redis.INCR(hits)
}

invariant bounded: redis.hits <= 1
