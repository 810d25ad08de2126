// A Redis lock without a time to live, and a holder that dies. Each request takes the lock with
// SET NX, tries a few times while someone else holds it, and deletes the lock when it is done.
// When the holder dies between taking and deleting the lock (an uncaught exception, a killed
// request), nothing ever deletes it: every later request waits for a lock nobody holds and gives
// up. Here the requests try three times; the final property says what the service needs: when
// every request has ended, no lock is left behind.
//   for _ in range(3):
//       if r.set("lease", me, nx=True):
//           try: do_work()
//           finally: r.delete("lease")     # never runs when the process dies
//           break
//       time.sleep(0.1)
model lock_crash_no_ttl
runtime threads

redis { lease }                            // absent: the lock is free
ghost served = 0

process Request[2] may crash {
    retry at most 3 {
        if redis.SET(lease, self + 1, NX) {
            served += 1                    // the work, done while holding the lock
            redis.DEL(lease)
            break
        }
        continue                           // held by someone else: try again
    }
}

final no_lock_left_behind: redis.lease is null
expect violation no_lock_left_behind
