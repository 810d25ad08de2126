// an atomic block holding a lock and an await
model m
runtime event_loop
lock mu
shared n = 0
process P {
    atomic {
        acquire mu
        await
    }
}
