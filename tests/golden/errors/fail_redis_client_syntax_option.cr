model fail_redis_client_syntax_option
redis { lease }
process P {
    let ok = redis.SET(lease, 1, "NX")
}
