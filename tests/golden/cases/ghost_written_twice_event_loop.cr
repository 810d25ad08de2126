// Under the event loop memory between two awaits is one step, so a ghost raised and lowered there
// is never seen; the warning says why in the event loop's terms (round 19: it said nothing between
// the writes was a step and to put shared work there, which the model already did).
model ghost_written_twice_event_loop
runtime event_loop
shared balance = 100
ghost inside = 0
process H[2] {
    inside += 1
    let b = balance
    balance = b - 10
    inside -= 1
    await
}
invariant one_inside: inside <= 1
expect safe
