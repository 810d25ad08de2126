// await under runtime threads means nothing
model m
runtime threads
shared n = 0
process P {
    let v = n
    await
    n = v + 1
}
