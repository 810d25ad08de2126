// A single-instance Redis lease whose holder is known to finish in time: the lease lasts 30
// (SET NX PX=30) and the protected work takes at most 10, so the lease never runs out under its
// holder, and a compare-and-delete script releases only the worker's own lease. Safe, but only
// because of that timing assumption: lease_gc_pause.cr is the same code with a pause that breaks
// it. Times are scaled down (30 s as 30 ms): every ms is a state of its own.
//   token = str(uuid4())
//   if r.set("lease", token, nx=True, px=30000):       # redis-py
//       try:
//           do_work()                                   # takes at most 10 s
//       finally:
//           release(keys=["lease"], args=[token])       # if GET == token then DEL (a Lua script)
// The whole attempt sits in one `takes 0..10` block: its steps take at most 10 ms together.
// The ghost `holders` counts the workers inside the critical section.
model lease_within_ttl
runtime threads

redis { lease, done = 0 }
ghost holders = 0

process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
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
// The lock is not so strict that it stops the work: both workers can get their turn.
cover both_worked: redis.done == 2
expect safe
