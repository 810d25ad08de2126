// where takes and pause may stand: not nested, pause only inside takes, not inside one step or a transaction (issue 12, time)
model m
redis { lease }
table t(id key, v) { (1, 0) }
shared x = 0
process P {
    pause 0..5
    takes 0..10 {
        takes 0..5 {
            redis.SET(lease, 1, NX, PX = 30)
        }
    }
    atomic {
        takes 0..5 {
            x += 1
        }
    }
    redis.eval {
        pause 0..5
    }
    transaction {
        takes 0..5 {
            update t set v = 1 where id = 1
        }
    }
}
