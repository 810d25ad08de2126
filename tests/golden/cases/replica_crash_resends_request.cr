// A replica crash kills a request whose client retries: the step says the client sends it
// again, so the next crash's 'no retry left' follows from it (round 33).
model replica_crash_resends_request
runtime event_loop(replicas = 2)
replica may crash
shared seen = 0
ghost total_seen = 0
redis { hits = 0 }
process Hit[2] may crash on crash retry at most 1 {
    await redis.INCR(hits)
    total_seen += 1
}
final in_sync: redis.hits == total_seen
expect violation in_sync
