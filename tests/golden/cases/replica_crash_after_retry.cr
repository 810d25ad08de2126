// A request dies after its first command and the client sends it again; the resend is back at
// its start and has not reached the replica yet, so a replica crash at that moment does not
// touch it: it runs later on the restarted replica. Round 14 found the resend killed with the
// replica (its second death, which ends it), a run that cannot happen.
model replica_crash_after_retry
runtime event_loop
replica may crash
redis { started = 0, done = 0 }
process Request on crash retry at most 1 {
    await redis.INCR(started)
    may crash
    await redis.INCR(done)
}
final finished_or_resent: redis.done == 1 or redis.started == 2
expect safe
