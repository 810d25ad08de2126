// has_ttl looks at one Redis key, in a property
model m
redis { lease }
shared n = 0
process P { n += 1 }
invariant a: has_ttl(n)
invariant b: has_ttl(redis.lease, redis.lease)
