// racecheck-args: --all
// --all: one shortest trace per violated property, not just the first.
model all_violations
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
invariant at_most_once: withdrawn <= 80
expect violation conservation, at_most_once
