// Tokens self stored as a hash's values: a value read back may be the 0 of an unused slot,
// which is instance 0's token, so the instances are not interchangeable, and the reason says
// so (round 23: it named a constant that the line does not show). With self + 1 they are.
model symmetry_hash_self_token
runtime threads
redis { h: hash(2) }
ghost mine = 0

process W[2] {
    redis.HSETNX(h, 7, self)
    let v = redis.HGET(h, 7)
    if v == self {
        mine += 1
    }
}

final p: mine == 1
expect safe
