// return cannot leave a takes block, whose region would stay open (issue 12, time)
model m
redis { lease }
fn take() {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            return
        }
    }
}
process P {
    takes 0..10 {
        if not redis.SET(lease, 1, NX, PX = 30) {
            return
        }
    }
    take()
}
