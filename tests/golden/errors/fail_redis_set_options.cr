// SET options Redis 7 refuses together (t_string.c, parseExtendedStringArgumentsOrReply): NX
// with XX, EX with PX, KEEPTTL with a new time to live; GET and KEEPTTL belong to SET alone
model m
redis { lease, count = 0 }
process P {
    redis.SET(lease, 1, NX, XX)
    redis.SET(lease, 1, EX = 1, PX = 30)
    redis.SET(lease, 1, KEEPTTL, PX = 30)
    redis.SET(lease, 1, EX = 1, KEEPTTL)
    redis.INCR(count, GET)
    redis.EXPIRE(lease, 30, KEEPTTL)
}
