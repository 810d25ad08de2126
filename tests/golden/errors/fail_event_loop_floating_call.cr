// Under the event loop a fn that waits for an answer is an async function; called without
// await (a floating promise in Node.js, never run in asyncio) it is refused (round 19: racecheck
// ran it inline, as if awaited, and proved a lost update impossible). A fn that only computes,
// or one called inside a Redis script, needs no await.
model fail_event_loop_floating_call
runtime event_loop

redis { n = 0 }
lock mu
ghost bumps = 0

fn bump() {
    let v = redis.GET(n)
    redis.SET(n, v + 1)
}

fn locked_bump() {
    lock mu {
        let v = await redis.GET(n)
    }
}

fn twice(x) {
    return x * 2
}

process Handler[2] {
    lock mu {
        bump()
        bumps += 1
    }
    let d = twice(3)
    redis.eval {
        bump()
    }
    locked_bump()
    await bump()
}
