// The rate limiter of rate_limiter_incr_expire_crash.cr with INCR and EXPIRE in one Lua script:
// Redis runs a script whole, so no crash can fall between the two, and every counter gets its
// time to live.
//   INCR_EXPIRE = r.register_script("""
//       local count = redis.call('INCR', KEYS[1])
//       if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
//       return count""")
//   count = INCR_EXPIRE(keys=[key], args=[60])
//   if count > LIMIT: return 429
model rate_limiter_script
runtime threads

const LIMIT = 2
redis { hits }
ghost passed = 0

process Request[2] may crash {
    let count = 0
    redis.eval {
        count = redis.INCR(hits)
        if count == 1 {
            redis.EXPIRE(hits, 60)
        }
    }
    if count <= LIMIT {
        passed += 1
    }
}

final counter_expires: redis.hits is null or has_ttl(redis.hits)
cover one_passed: passed == 1
expect safe
