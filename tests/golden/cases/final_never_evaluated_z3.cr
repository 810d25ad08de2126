// racecheck-args: --engine z3
// A consumer that loops on BLPOP never finishes, so no run ends with every instance done and the
// final is never looked at: the z3 engine warns at it as the explicit engine does (round 10 found it silent).
model final_never_evaluated_z3
redis { q: list(2) }
ghost handled = 0
process Producer {
    redis.RPUSH(q, 1)
    redis.RPUSH(q, 2)
}
process Consumer {
    while true {
        let j = redis.BLPOP(q)
        handled += 1
    }
}
final all_handled: handled == 3
invariant at_most: handled <= 2
allow deadlock
expect safe
