// Redis runs WATCH at once, not at EXEC: inside MULTI it answers an error and watches nothing
// (the EXEC still runs), and a script may not call it (round 13 found both accepted, and a
// watch set inside the block refusing a later EXEC).
model m
redis { k = 0, x = 0 }
fn watch_k() {
    redis.WATCH(k)
}
process W {
    redis.multi {
        redis.WATCH(k)
        redis.INCR(x)
    }
    redis.eval {
        let w = redis.WATCH(k)
        redis.INCR(x)
    }
    let done = redis.multi {
        watch_k()
        redis.INCR(x)
    }
}
invariant ok: true
