// Redis models parse and check, but the engine does not run them yet: a clear error, never a guess
model m
redis { balance = 100 }
process P {
    let n = redis.DECRBY(balance, 80)
}
