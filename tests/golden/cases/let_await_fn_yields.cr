// 'let n = await f()' yields after the fn's body, as 'await f()' does (round 33: proved safe).
model let_await_fn_yields
runtime event_loop
shared balance = 100
shared audits = 0
ghost out = 0
fn audit() {
    audits += 1
    return audits
}
process Withdraw[2](amount = 80) {
    let b = balance
    let n = await audit()
    if b >= amount {
        balance = b - amount
        out += amount
    }
}
invariant conservation: balance + out == 100
expect violation conservation
