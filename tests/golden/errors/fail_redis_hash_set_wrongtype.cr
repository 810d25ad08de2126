// hash and set commands on keys of another type and plain or list commands on hashes and sets
// (Redis's WRONGTYPE), and properties that look at a hash or set the wrong way (issue 12)
model m
redis { cart: hash(3), seen: set(3), jobs: list(2), count = 0 }
process P {
    let a = redis.GET(cart)
    let b = redis.INCR(seen)
    let c = redis.HSET(count, 1, 2)
    let d = redis.SADD(cart, 1)
    let e = redis.HGET(jobs, 1)
    let f = redis.LPUSH(seen, 1)
    let g = redis.EXPIRE(cart, 10)
    let h = redis.LMOVE(jobs, seen, LEFT, RIGHT)
}
invariant whole: redis.cart == 1
invariant field: hget(redis.seen, 1) == 1
invariant member: contains(redis.count, 1)
invariant size: len(redis.count) == 0
