// Lock-free withdraw with compare-and-set (an atomic CAS instruction, or
// `UPDATE ... WHERE balance = :seen`): read the balance, compute, then write only if the
// balance is still what was read. If another request got there first, try again with the
// fresh value, at most 3 times. The cover checks that a withdrawal can actually succeed:
// a model where nothing ever happens would be "safe" too.
model withdraw_cas
runtime threads

const START = 100
shared balance = START
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    retry at most 3 {
        let b = balance                 // read: one step
        if b < amount {
            break                       // not enough money: give up
        }
        let swapped = false
        atomic {                        // compare-and-set: one step
            if balance == b {
                balance = b - amount
                withdrawn += amount
                swapped = true
            }
        }
        if not swapped {
            continue                    // somebody wrote in between: next attempt
        }
    }
}

invariant no_overdraft: balance >= 0
invariant conservation: balance + withdrawn == START
cover one_withdrawal: withdrawn == 80
expect safe
