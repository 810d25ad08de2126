// list commands on plain keys and plain commands on lists (Redis's WRONGTYPE), bad LMOVE
// arguments, and properties that look at a list the wrong way
model m
redis { jobs: list(3) = [1, 2], done: list(3), count = 0 }
process P {
    let a = redis.GET(jobs)
    let b = redis.LPUSH(count, 1)
    let c = redis.LMOVE(jobs, done, LEFT, 1)
    let d = redis.LMOVE(jobs, count, LEFT, RIGHT)
    let e = redis.RPOPLPUSH(jobs)
    let f = redis.RPUSH(jobs, true)
}
invariant whole: redis.jobs == 1
invariant plain: len(redis.count) == 0
