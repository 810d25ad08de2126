// MULTI/EXEC: Redis answers every queued command with QUEUED and runs them all at EXEC, so code
// inside `multi { }` cannot use a command's result (a Lua script, `eval { }`, can). The body of a
// multi block used as a value (`let ok = redis.multi { ... }`) is held to every rule of a Redis
// block, and a command inside `atomic` is refused in an expression as in a statement.
model m
redis { balance = 100, hits = 0 }
shared total = 0
lock mu
process P[2] {
    redis.multi {
        let b = redis.GET(balance)
        if b >= 80 {
            redis.DECRBY(balance, 80)
        }
    }
    redis.multi {
        redis.SET(balance, redis.GET(hits) + 1)
        if redis.EXISTS(hits) {
            redis.INCR(hits)
        }
    }
    let ok = redis.multi {
        total = 1
        lock mu { skip }
    }
    atomic {
        let n = redis.INCR(hits)
        total = n
    }
}
