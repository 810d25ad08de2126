// await goes before a command or a call inside an expression too, never before a plain value
model m
runtime event_loop
shared x = 0
redis { k = 1 }
process P {
    if await redis.EXISTS(k) and await (x + 1) > 0 {
        x = 1
    }
    while await x < 3 {
        x += 1
    }
}
