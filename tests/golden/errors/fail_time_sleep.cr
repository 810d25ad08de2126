// Time as other languages write it (round 19): a sleep is a pause inside a takes block.
model fail_time_sleep
redis { lease }
process P[2] {
    takes 0..10 {
        sleep 5
        redis.SET(lease, self + 1, NX, PX = 30)
    }
}
