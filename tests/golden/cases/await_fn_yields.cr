// Node: async function audit() { audits++ }   (no I/O)
//       async function withdraw(a) { const b = balance; await audit(); if (b >= a) { balance = b - a; out += a } }
// Promise.all([withdraw(80), withdraw(80)]) prints balance 20, out 160: `await audit()` resumes
// the caller in a later microtask, so both read 100 first. Round 17 found this model safe
// (the await of a fn without I/O yielded nowhere); asyncio would not yield here.
model await_fn_yields
runtime event_loop
shared balance = 100
shared audits = 0
ghost out = 0
fn audit() {
    audits += 1
}
process Withdraw[2](amount = 80) {
    let b = balance
    await audit()
    if b >= amount {
        balance = b - amount
        out += amount
    }
}
invariant conservation: balance + out == 100
expect violation conservation
