// From issue 11: the branches of 'if ... then ... else' have one type, the condition is a bool,
// and a Redis command cannot hide in a branch.
model m
redis { n = 0 }
process P(k = 1) {
    let a = if 1 then 2 else 3
    let b = if k > 0 then 2 else false
    let c = if k > 0 then redis.INCR(n) else 0
}
