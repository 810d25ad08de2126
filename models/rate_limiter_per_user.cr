// A fixed-window rate limiter with one counter per user, which reads the user's counter and
// writes it back: two requests of the same user read the same count and both pass, so that user
// gets more requests than the limit allows.
//   key = f"hits:{user}"
//   count = int(r.get(key) or 0)
//   if count < LIMIT:
//       r.set(key, count + 1)
//       handle(request)
model rate_limiter_per_user
runtime threads

const USERS = 2
const LIMIT = 1
redis { hits[USERS] }
ghost passed[USERS] = 0

// Each request comes from some user.
process Request[3](user in 0..USERS - 1) {
    let count = coalesce(redis.GET(hits[user]), 0)
    if count < LIMIT {
        redis.SET(hits[user], count + 1)
        passed[user] += 1
    }
}

invariant user0_within_limit: passed[0] <= LIMIT
invariant user1_within_limit: passed[1] <= LIMIT
expect violation user0_within_limit
