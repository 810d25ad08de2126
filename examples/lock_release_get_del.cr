// A Redis lock released with GET, compare, DEL from the client (Python with redis-py):
//
//   token = str(uuid4())
//   if r.set("lock", token, nx=True, px=30):   # take the lock for 30 ms
//       do_work()                              # fits in the lease: at most 10 ms
//       if r.get("lock") == token:             # still mine?
//           r.delete("lock")                   # ... a moment later, maybe not
//
// The work fits in the lease, but the release is two round trips. Between the GET that found
// the token and the DEL, the lease can run out and another worker take the lock; the DEL then
// deletes the other worker's lock, and a third worker takes it while the second still works.
// Fix: compare and delete in one step, inside Redis (a Lua script):
//
//   redis.eval {
//       if redis.GET(lease) == self + 1 {
//           redis.DEL(lease)
//       }
//   }
//
// With it racecheck proves the lock safe (the work fits in the lease: a timed model).
model lock_release_get_del
runtime threads

redis { lease, work = 0 }
ghost holders = 0

process Worker[3] {
    let got = false
    takes 0..10 {                                   // taking the lock and the work: 10 ms at most
        got = redis.SET(lease, self + 1, NX, PX = 30)
        if got {
            holders += 1
            redis.INCR(work)
            holders -= 1
        }
    }
    if got {
        if redis.GET(lease) == self + 1 {           // any time may pass between these two
            redis.DEL(lease)
        }
    }
}

invariant mutual_exclusion: holders <= 1
cover all_worked: redis.work == 3
expect violation mutual_exclusion
