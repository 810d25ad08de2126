// INCR with an amount: Redis has INCRBY for that, and the error says so.
model m
redis { hits = 0 }
process P {
    redis.INCR(hits, 5)
}
