// min, max, abs and coalesce are computed at once: there is nothing to await
model m
runtime event_loop
shared x = 0
process P {
    let v = await min(x, 2)
    if await coalesce(x, 0) > 0 {
        x = 1
    }
}
