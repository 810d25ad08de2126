// await before a call (a query, a Redis command, a fn) is for runtime event_loop only
model m
runtime threads
redis { k = 0 }
table t(id key, v) { (1, 0) }
fn get() {
    return redis.GET(k)
}
process P {
    let v = await redis.GET(k)
    await redis.SET(k, 1)
    await update t set v = 1 where id = 1
    let w = await get()
}
