// A fix that makes the good outcome impossible must not pass as safe: the cover fails.
model cover_unreachable
shared balance = 100
ghost withdrawn = 0
process Withdraw[2] {
    let b = balance
    // The "fix": never withdraw. Conservation holds trivially.
    if b >= 1000 {
        balance = b - 80
        withdrawn += 80
    }
}
invariant conservation: balance + withdrawn == 100
cover can_withdraw: withdrawn > 0
expect safe
