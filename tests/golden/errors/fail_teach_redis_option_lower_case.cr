// A Redis option in lower case.
model m
redis { mutex }
process W {
    let ok = redis.SET(mutex, 1, nx)
}
