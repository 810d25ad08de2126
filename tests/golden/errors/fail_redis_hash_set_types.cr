// hash and set declarations whose values have the wrong type: a hash value that is no int (an enum), a
// null member, members of two types (issue 12: hashes and sets)
model m
enum Status { queued, done }
redis { flags: hash(2) = {1: queued}, gaps: set(2) = [null], states: set(2) = [queued, 1], marks: hash(2) = {done: 1, 2: 1} }
process P {
    redis.DEL(flags)
}
