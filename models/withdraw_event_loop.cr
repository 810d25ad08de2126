// The withdraw race on a single-threaded event loop (Node.js, asyncio): one task runs
// without interruption until it awaits. Here the handler awaits between reading the balance
// and writing it (think `const b = await db.getBalance(); ...; await db.setBalance(b - amount)`),
// so the other request runs in the gap, reads the same $100, and both withdraw $80.
model withdraw_event_loop
runtime event_loop

const START = 100
shared balance = START
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let b = balance
    await                               // the task yields here: the other request may run
    if b >= amount {
        balance = b - amount
        withdrawn += amount
    }
}

invariant no_overdraft: balance >= 0
invariant conservation: balance + withdrawn == START
expect violation conservation
