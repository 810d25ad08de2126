// A holder gives up after three tries only when the server says busy (`st == 2`), which
// nobody says: the bound is tested on some rounds only, so it bounds none of the others, and the
// loop waits for Setter (the lease can run out). Round 25 found the bound taken for a counted
// loop's: no time passed while the holder spun, and the search never ended (29 M states).
model bound_on_some_rounds_in_takes
runtime threads
redis { lease, go = 0, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let tries = 0
            while true {
                tries += 1
                let st = redis.GET(go)
                if st == 1 {
                    break
                }
                if st == 2 {
                    if tries > 2 {
                        break
                    }
                }
            }
            holders -= 1
            redis.eval {
                if redis.GET(lease) == 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}

process Other {
    takes 0..10 {
        if redis.SET(lease, 2, NX, PX = 30) {
            holders += 1
            redis.INCR(work)
            holders -= 1
            redis.eval {
                if redis.GET(lease) == 2 {
                    redis.DEL(lease)
                }
            }
        }
    }
}
process Setter {
    redis.SET(go, 1)
}

invariant mutual_exclusion: holders <= 1
expect violation mutual_exclusion
