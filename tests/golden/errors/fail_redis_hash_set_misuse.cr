// hash and set commands with the wrong number or type of arguments, options they do not take,
// and a command racecheck does not know (issue 12: hashes and sets)
model m
enum Status { queued, done }
redis { cart: hash(3), seen: set(3), states: set(2) = [queued] }
process P {
    let a = redis.HSET(cart, 1)
    let b = redis.HSET(cart, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5)
    let c = redis.HGET(cart)
    let d = redis.HSETNX(cart, 1)
    let e = redis.HINCRBY(cart, 1, true)
    let f = redis.SADD(seen)
    let g = redis.SISMEMBER(seen, 1, 2)
    let h = redis.HSET(cart, 1, 2, NX)
    let i = redis.SADD(states, 1)
    let j = redis.HGETALL(cart)
    let k = redis.HLEN(cart, 1)
}
invariant member: contains(redis.states, 2)
invariant field: hget(redis.cart, true) == 1
