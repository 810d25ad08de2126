// The crash point after an awaited call sits on the call's path alone: where the call is not
// made, the code before and after the if is one synchronous run, and no crash splits it.
model crash_point_only_after_the_call
runtime event_loop
shared a = 0
shared b = 0
redis { k = 0 }
process P[2] may crash {
    a += 1
    if a > 5 {
        let v = await redis.GET(k)
    }
    b += 1
}
invariant same: a == b
cover both_done: b == 2
expect safe
