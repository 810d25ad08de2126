// Issue 13: Redis arithmetic too: DECRBY by -1 from 2147483647 would take the key outside 32 bits.
model overflow_in_redis
redis { n = 2147483647 }
process P {
    redis.DECRBY(n, -1)
}
