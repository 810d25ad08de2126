// A missing value written as Redis and Lua write it.
model m
redis { session }
process W {
    let s = redis.GET(session)
    if s == nil {
        redis.SET(session, 1)
    }
}
