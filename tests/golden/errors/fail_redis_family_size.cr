// A key family's size (or bounds) is a positive number known before the model runs.
model fail_redis_family_size

param N in 1..2
redis { hits[0] = 0, lease[N], inbox[3..1]: list(2), tokens[100] }

process P {
    redis.INCR(hits[0])
}
