// A string as a Redis key or option, and a key named with ':', as client libraries write them
// (round 19: the hint spoke of SQL's single quotes, or the parser's own words).
model fail_redis_client_syntax
redis { lease }
process P {
    let v = redis.GET("lease")
}
