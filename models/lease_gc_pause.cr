// lease_within_ttl.cr with a stop-the-world GC pause of up to 40 while the lease is held: the
// work itself still takes at most 10, but the pause lets the 30 ms lease run out under its
// holder. Redis deletes the key, a second worker's SET NX succeeds, and both work at once: the
// timing assumption a lease rests on (Redlock's too) is broken, and nothing in the client can
// tell. The usual fix is a fencing token checked by the storage (withdraw_redlock_fenced.cr).
//   token = str(uuid4())
//   if r.set("lease", token, nx=True, px=30000):       # redis-py
//       try:
//           do_work()                                   # at most 10 s, plus a GC pause of up to 40 s
//       finally:
//           release(keys=["lease"], args=[token])       # if GET == token then DEL (a Lua script)
// Times are scaled down (30 s as 30 ms). The ghost `holders` counts the workers inside the
// critical section.
model lease_gc_pause
runtime threads

redis { lease, done = 0 }
ghost holders = 0

process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            pause 0..40                    // the GC pause, on top of the work's 10
            redis.INCR(done)               // the protected work
            holders -= 1
            redis.eval {                   // delete the lease only while it is still ours
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}

invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
