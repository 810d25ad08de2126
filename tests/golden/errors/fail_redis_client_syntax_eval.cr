model fail_redis_client_syntax_eval
redis { n = 0 }
process P {
    let v = redis.EVAL("return redis.call('INCR', KEYS[1])", 1, n)
}
