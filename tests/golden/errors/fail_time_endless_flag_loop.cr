// Loops inside takes blocks whose only way out tests what stays the same on them: a flag no
// round clears, and a counter no round raises. Each is taken in the first round or never, so the
// block could never end (round 29: both were proved safe, and the monitor's loop stopped time
// for the two workers' lease race too).
model endless_flag_loop
runtime threads
redis { lease, hb = 0 }
ghost holders = 0
process Worker[2] {
    if redis.SET(lease, self + 1, NX, PX = 30) {
        holders += 1
        redis.INCR(hb)
        holders -= 1
    }
}
process Monitor {
    takes 0..10 {
        let go = true
        while go {
            let v = redis.GET(hb)
            redis.SET(hb, 1 - v)
        }
    }
}
process Counter {
    takes 0..10 {
        let n = 0
        while n < 3 {
            redis.INCR(hb)
        }
    }
}
invariant mutual_exclusion: holders <= 1
