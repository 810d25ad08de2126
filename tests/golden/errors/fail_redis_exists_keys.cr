// EXISTS and DEL of several keys count them in Redis; racecheck takes one key a call
model m
redis { a, b }
process P {
    let both = redis.EXISTS(a, b)
    redis.DEL(a, b)
}
