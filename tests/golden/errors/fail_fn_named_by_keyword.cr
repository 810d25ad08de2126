// A fn named with a keyword: its declaration is refused, and so is each call, with the reason
// (round 28: the calls gave a bare "expected a name, but found '('").
model fn_named_by_keyword
redis { lease }
fn release(t) {
    redis.DEL(lease)
}
process P {
    redis.SET(lease, 1, NX)
    release(1)
}
