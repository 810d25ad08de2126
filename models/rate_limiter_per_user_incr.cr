// The per-user limiter of rate_limiter_per_user.cr, fixed: INCR first, then compare. INCR is one
// atomic step, so every request of a user gets its own count and at most LIMIT of them pass.
// (A real fixed window also sets a TTL on the key; rate_limiter_script.cr shows that part.)
//   key = f"hits:{user}"
//   if r.incr(key) <= LIMIT:
//       handle(request)
model rate_limiter_per_user_incr
runtime threads

const USERS = 2
const LIMIT = 1
redis { hits[USERS] = 0 }
ghost passed[USERS] = 0

// Each request comes from some user.
process Request[3](user in 0..USERS - 1) {
    if redis.INCR(hits[user]) <= LIMIT {
        passed[user] += 1
    }
}

invariant within_limit: passed[0] <= LIMIT and passed[1] <= LIMIT
// Every request was counted against its user.
final all_counted: redis.hits[0] + redis.hits[1] == 3
expect safe
