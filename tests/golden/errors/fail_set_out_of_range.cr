// racecheck-args: --set LIMIT=-2147483648
// --set with a value outside racecheck's integers: said as the --set, not with a caret under
// the literal in the file (round 16).
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
