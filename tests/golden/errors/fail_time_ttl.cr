// in a timed model a time to live is a constant of at most 1000 ms (issue 12, time)
model m
param T in 10..20
redis { lease, other }
process P {
    takes 0..10 {
        redis.SET(lease, 1, NX, EX = 30)
        redis.SET(other, 1, NX, PX = T)
        redis.EXPIRE(lease, 2)
        redis.PEXPIRE(lease, 1001)
        redis.PEXPIRE(other, 1000)
    }
}
