// Times are in ms, written without a unit (round 19).
model fail_time_unit
redis { lease }
process P[2] {
    takes 0..10 ms {
        redis.SET(lease, self + 1, NX, PX = 30)
    }
}
