// A local lives to the end of its block: used after the block, the error says where it was
// declared; a property naming a process's local is told that properties see shared state only.
model m
shared balance = 100
lock mu
process Withdraw[2](amount = 80) {
    lock mu {
        let b = balance
        if b >= amount {
            let left = b - amount
        }
        balance = left
    }
    balance = b - amount
}
invariant ok: b >= 0
