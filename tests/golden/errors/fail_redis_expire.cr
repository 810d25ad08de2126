// EXPIRE and PEXPIRE take a time to live, PERSIST nothing after the key
model m
redis { lease = 1 }
process P {
    redis.EXPIRE(lease)
}
