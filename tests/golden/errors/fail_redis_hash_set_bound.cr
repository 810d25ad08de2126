// hashes and sets that start with more fields or members than their bound, bounds that are no
// constant or out of range, and a field or member written twice (issue 12: hashes and sets)
model m
param n in 1..2
redis { cart: hash(1) = {1: 2, 3: 4}, seen: set(2) = [1, 2, 3], more: set(n), big: hash(33), twice: set(3) = [1, 1], again: hash(2) = {4: 1, 4: 2} }
process P {
    redis.DEL(cart)
}
