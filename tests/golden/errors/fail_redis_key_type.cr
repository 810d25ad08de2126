// A Redis key's type names an enum: a misspelt one, a constant, and a collection whose type
// follows another word than 'of'.
model redis_key_type
enum Phase { running, done }
const N = 2
redis { a: Phaze, b: N, c: list(2) holding Phase }
process P {
    redis.SET(a, running)
}
