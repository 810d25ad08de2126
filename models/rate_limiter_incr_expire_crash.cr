// The fixed-window rate limiter of the Redis documentation: INCR the window's counter, and the
// request that created it (INCR returned 1) gives it a time to live, so that the window ends.
// INCR and EXPIRE are two commands: a request that dies between them (an uncaught exception, a
// killed worker) leaves a counter without a time to live. It never expires, and once it reaches
// the limit every later request is refused, for good.
//   count = r.incr(key)
//   if count == 1:
//       r.expire(key, 60)               # never runs when the process dies after the INCR
//   if count > LIMIT: return 429
model rate_limiter_incr_expire_crash
runtime threads

const LIMIT = 2
redis { hits }
ghost passed = 0

process Request[2] may crash {
    let count = redis.INCR(hits)
    if count == 1 {
        redis.EXPIRE(hits, 60)
    }
    if count <= LIMIT {
        passed += 1
    }
}

// When every request has ended, the counter, if there is one, has a time to live: its window ends.
final counter_expires: redis.hits is null or has_ttl(redis.hits)
expect violation counter_expires
