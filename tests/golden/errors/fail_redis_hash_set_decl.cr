// hashes and sets started the wrong way: a hash from a list, a set from fields, a plain key from
// fields, a plain value for a set (issue 12: hashes and sets)
model m
redis { cart: hash(2) = [1, 2], seen: set(2) = {1: 2}, plain = {1: 2}, other: set(2) = 3 }
process P {
    redis.DEL(cart)
}
