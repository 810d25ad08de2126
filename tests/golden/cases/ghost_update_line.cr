// A ghost updated by a later statement of a long step: the trace names that statement's line,
// since the step itself is named by its first visible access (the read of balance).
model ghost_update_line
runtime threads
shared balance = 100
ghost withdrawn = 0
process Withdraw[2](amount = 80) {
    let b = balance
    if b >= amount {
        withdrawn += amount
        balance = b - amount
    }
}
invariant conservation: balance + withdrawn == 100
expect violation conservation
