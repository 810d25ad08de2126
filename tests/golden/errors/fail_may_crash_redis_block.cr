// a Redis script runs whole inside Redis: the process cannot crash in the middle of it
model m
redis { hits }
process P {
    redis.eval {
        let n = redis.INCR(hits)
        may crash
        redis.EXPIRE(hits, 60)
    }
}
