// A fixed-window rate limiter that reads the counter and writes it back: two requests read the
// same count and both pass, so more requests pass than the limit allows.
//   count = int(r.get(key) or 0)
//   if count < LIMIT:
//       r.set(key, count + 1)
//       handle(request)
model rate_limiter_get_set
runtime threads

const LIMIT = 2
redis { hits }
ghost passed = 0

process Request[3] {
    let count = coalesce(redis.GET(hits), 0)
    if count < LIMIT {
        redis.SET(hits, count + 1)
        passed += 1
    }
}

invariant within_limit: passed <= LIMIT
expect violation within_limit
