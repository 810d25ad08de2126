// A crashing request may die where it resumes after 'await f()' (round 33: no crash came there).
model crash_after_await_fn
runtime event_loop
shared a = 0
shared b = 0
fn audit() {
    a += 1
}
process P may crash {
    await audit()
    b += 1
}
final in_sync: a == b
expect violation in_sync
