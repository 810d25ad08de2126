// racecheck-args: --set LIMIT=true
// --set with a value of the other type: said as the --set it is, not as a type error at every
// use of the constant (round 16).
model m
const LIMIT = 2
redis { hits = 0 }
ghost allowed = 0
process W[2] {
    let n = redis.INCR(hits)
    if n <= LIMIT {
        allowed += 1
    }
}
invariant limited: allowed <= LIMIT
