// A worker dies in the middle of its work under a Redis lease: the lease runs out, as it is
// meant to, and the next holder finds the work half done. The explanation blames the crash,
// not the expiry (the holder no longer worked under it).
model lease_holder_crashed
runtime threads
redis { lease }
shared inside = 0
process Request[2] may crash {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            inside += 1
            inside -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}
invariant mutual_exclusion: inside <= 1
expect violation mutual_exclusion
