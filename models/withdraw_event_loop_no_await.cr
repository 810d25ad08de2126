// withdraw_event_loop.cr without the await: on an event loop a task is never interrupted
// between two awaits, so read-check-write with no await in the middle is atomic. The same
// code that races under `runtime threads` (models/withdraw.cr) is safe here.
model withdraw_event_loop_no_await
runtime event_loop

const START = 100
shared balance = START
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let b = balance
    if b >= amount {
        balance = b - amount            // no await since the read: nobody else ran
        withdrawn += amount
    }
}

invariant no_overdraft: balance >= 0
invariant conservation: balance + withdrawn == START
cover one_withdrawal: withdrawn == 80
expect safe
