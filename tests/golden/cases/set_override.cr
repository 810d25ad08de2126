// racecheck-args: --set START=500
// With $500 both withdrawals fit, so the race loses money but never overdraws:
// --set changes the verdict from the overdraft to the conservation violation only.
model set_override
const START = 100
shared balance = START
ghost withdrawn = 0
process Withdraw[2] {
    let b = balance
    if b >= 80 {
        balance = b - 80
        withdrawn += 80
    }
}
invariant conservation: balance + withdrawn == START
expect violation conservation
