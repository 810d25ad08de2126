// Exit code 1: the model claims to be safe, but the naive withdraw races.
model unmet_expectation
shared balance = 100
ghost withdrawn = 0
process Withdraw[2] {
    let b = balance
    if b >= 80 {
        balance = b - 80
        withdrawn += 80
    }
}
invariant conservation: balance + withdrawn == 100
expect safe
