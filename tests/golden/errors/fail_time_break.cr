// break and continue cannot leave a takes block, whose region would stay open (issue 12, time)
model m
redis { lease }
process P {
    while true {
        takes 0..10 {
            if redis.SET(lease, 1, NX, PX = 30) {
                break
            }
            continue
        }
    }
}
