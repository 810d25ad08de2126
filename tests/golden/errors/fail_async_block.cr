// An async block, as JavaScript writes one (round 19): a process is already a task.
model fail_async_block
runtime event_loop
redis { n = 0 }
process P[2] {
    async {
        await redis.INCR(n)
    }
}
