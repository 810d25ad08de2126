// a takes or pause range must not be empty, and lower bounds above 0 are not modelled yet (issue 12, time)
model m
redis { lease }
process P {
    takes 10..5 {
        redis.SET(lease, 1, NX, PX = 30)
    }
    takes 3..5 {
        redis.SET(lease, 1, NX, PX = 30)
        pause 2..4
    }
}
