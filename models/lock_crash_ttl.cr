// The lock of lock_crash_no_ttl.cr with a time to live (SET lease NX PX=30000): when the holder
// dies, Redis deletes the lock by itself once the lease runs out, so no lock is left behind for
// good. The price is the one every lease pays: the lease may also run out while its holder still
// works (a GC pause, a slow network), and then a second request takes the lock and both work at
// once. The ghost `inside` counts the requests doing the work.
//   for _ in range(3):
//       if r.set("lease", me, nx=True, px=30000):
//           try: do_work()
//           finally: r.delete("lease")     # a real client deletes it only if it is still its own
//           break
//       time.sleep(0.1)
model lock_crash_ttl
runtime threads

redis { lease }
shared inside = 0

process Request[2] may crash {
    retry at most 3 {
        if redis.SET(lease, self + 1, NX, PX = 30000) {
            inside += 1
            inside -= 1
            redis.eval {                   // delete the lock only while it is still ours
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
            break
        }
        continue
    }
}

// A lock that outlives every request has a lease, and Redis will delete it.
final no_lock_left_for_good: redis.lease is null or has_ttl(redis.lease)
invariant mutual_exclusion: inside <= 1
expect violation mutual_exclusion
