// A query returned directly, as other languages return an awaited call (round 20: it was
// reported as a statement after a return that never runs).
model fail_return_select
runtime threads
table t(id key, v) { (1, 0) }
shared total = 0
fn read_v() {
    return select v from t where id = 1
}
process P {
    let x = read_v()
    total = x
}
final f: total == 0
expect safe
