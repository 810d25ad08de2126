// takes and pause bounds are constants from 0 to 1000 ms (issue 12, time)
model m
param T in 5..10
redis { lease }
process P {
    takes 0..T {
        redis.SET(lease, 1, NX, PX = 30)
        pause 0..2000
    }
    takes -1..5 {
        redis.DEL(lease)
    }
}
