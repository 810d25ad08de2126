// `await` before a command inside a Redis script is allowed (it is how the surrounding code
// reads) but changes nothing: the script is one step. A warning says so (round 19: it was
// accepted silently, and a newcomer may believe the script yields there).
model await_inside_script
runtime event_loop
redis { n = 0 }
process P[2] {
    redis.eval {
        let v = await redis.GET(n)
        redis.SET(n, v + 1)
    }
}
final both_counted: redis.n == 2
expect safe
