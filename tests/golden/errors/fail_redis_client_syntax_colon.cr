model fail_redis_client_syntax_colon
redis { lease[1..2] }
process P {
    let v = redis.GET(lease:1)
}
