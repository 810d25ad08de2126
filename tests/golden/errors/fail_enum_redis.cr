// From issue 11 (named values): a Redis key whose initial value is an enum value holds that
// enum: SET takes its values, GET gives one, and INCR cannot count it.
model m
enum Status { queued, running, done }
redis { state = queued, hits = 0 }
process Worker {
    redis.INCR(state)
    redis.SET(state, 2)
    redis.SET(hits, running)
    let s = redis.GET(state)
    if s == 1 { skip }
}
