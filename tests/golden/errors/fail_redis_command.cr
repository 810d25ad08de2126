// unknown Redis commands and wrong arguments
model m
redis { balance = 100 }
process P {
    let a = redis.GETSET(balance, 1)
    let b = redis.DECRBY(balance)
    let c = redis.GET(missing)
}
