// await goes before a call whose answer comes later, not before a plain value
model m
runtime event_loop
shared x = 0
process P {
    let v = await x
    x = await v + 1
}
