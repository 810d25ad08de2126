// EXPIRE's NX/XX/GT/LT options are not modelled: only SET takes options
model m
redis { lease = 1 }
process P {
    redis.EXPIRE(lease, 30, NX)
}
