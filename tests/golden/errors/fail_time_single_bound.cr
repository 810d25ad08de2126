// A takes block's time is a range (round 19: the parser's own words, "expected '..'").
model fail_time_single_bound
redis { lease }
process P[2] {
    takes 10 {
        redis.SET(lease, self + 1, NX, PX = 30)
    }
}
