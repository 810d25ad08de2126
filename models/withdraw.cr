// The classic race: two concurrent $80 withdrawals from a $100 balance.
// Both handlers read 100, both pass the balance check, both write 20: $160 leaves
// an account that held $100. racecheck finds the 4-step interleaving that does it.
model withdraw
runtime threads

const START = 100
shared balance = START
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let b = balance                 // read: one step
    if b >= amount {
        balance = b - amount        // write: another step; the other request may run in between
        withdrawn += amount
    }
}

invariant no_overdraft: balance >= 0
invariant conservation: balance + withdrawn == START
expect violation conservation
