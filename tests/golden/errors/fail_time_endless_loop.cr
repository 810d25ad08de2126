// A holder that renews a heartbeat for ever inside its takes block: the block could never end, so
// its bound of 10 ms is a claim no run keeps, and the 30 ms lease would never run out under it.
model endless_loop_in_takes
runtime threads
redis { lease, hb = 0 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            while true {
                let v = redis.GET(hb)
                redis.SET(hb, 1 - v)
            }
            holders -= 1
        }
    }
}
invariant mutual_exclusion: holders <= 1
