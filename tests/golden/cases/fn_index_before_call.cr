// `slot[cur] = await fetch_value()` picks its element before the call, as JavaScript and Java
// do (Python would pick it after): Switch moves cur only once the write's target is fixed,
// so slot[1] is never written. Round 14 found the index read after the fn's await, and a
// violation no JavaScript run has.
model fn_index_before_call
runtime event_loop
redis { v = 7 }
shared started = false
shared cur = 0
shared slot[2] = 0
fn fetch_value() {
    let x = await redis.GET(v)
    return x
}
process Writer {
    started = true
    slot[cur] = await fetch_value()
}
process Switch {
    if started {
        cur = 1
    }
}
invariant untouched: slot[1] == 0
cover written: slot[0] == 7
expect safe
