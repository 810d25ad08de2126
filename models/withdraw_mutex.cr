// The withdraw race fixed with a mutex: the read, the check and the write happen while
// holding `mu`, so the second request reads the balance only after the first has written it.
// One withdrawal of $80 succeeds, the other sees $20 and does nothing.
model withdraw_mutex
runtime threads

const START = 100
shared balance = START
ghost withdrawn = 0
lock mu

process Withdraw[2](amount = 80) {
    lock mu {                           // acquire: one step; blocks while the other holds mu
        let b = balance                 // read: one step
        if b >= amount {
            balance = b - amount        // write: one step; the other request waits at the acquire
            withdrawn += amount
        }
    }                                   // release: one step
}

invariant no_overdraft: balance >= 0
invariant conservation: balance + withdrawn == START
cover one_withdrawal: withdrawn == 80
expect safe
