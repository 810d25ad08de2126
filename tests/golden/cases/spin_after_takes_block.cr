// A semaphore spin after the takes block, and one in a process with no takes block: neither is
// inside a takes block, so neither holds time back and no warning is given (round 21 found the
// first warned about).
model spin_after_takes_block
runtime threads

redis { sem = 0, done = 0 }

process P {
    takes 0..10 {
        redis.INCR(done)
    }
    while redis.INCR(sem) != 1 {
        redis.DECR(sem)
    }
    redis.DECR(sem)
}

process Q {
    while redis.INCR(sem) != 1 {
        redis.DECR(sem)
    }
    redis.DECR(sem)
}

final finished: redis.done == 1
