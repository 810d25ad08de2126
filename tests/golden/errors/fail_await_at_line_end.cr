// An 'await' at a line's end: the error points at it, not at the next line's first word.
model fail_await_at_line_end
runtime event_loop
shared x = 0
process W[2] {
    let v = await
    x = v + 1
}
final ok: x == 2
