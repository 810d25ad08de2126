// A Redis script runs on one server: a command to another instance inside it is refused
// (added with the Redis semantics).
model m
redis { balance = 100 }
redis cache { copy }
process P {
    redis.eval {
        let b = redis.GET(balance)
        cache.SET(copy, b)
    }
}
