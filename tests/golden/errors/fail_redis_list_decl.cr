// Redis key types racecheck does not model, and lists started the wrong way
model m
redis { cart: zset(4), jobs = [1, 2], queue: list(2) = 5 }
process P {
    redis.DEL(cart)
}
