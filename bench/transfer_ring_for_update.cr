// Benchmark (issue 15, a slow z3 case): a ring of three transfers at read committed, each
// locking both of its rows with `select ... for update` in key order (the smaller id first),
// then moving the money. Three transactions, three rows, every pair sharing one row: the
// ordered locking rules out a deadlock, and the money is conserved. Safe.
model transfer_ring_for_update
runtime threads

table accounts(id key, balance) { (1, 100), (2, 100), (3, 100) }

process Transfer[3](from_id = 1 + self, to_id = 1 + (self + 1) % 3, amount = 10) {
    transaction isolation read_committed {
        let first = from_id
        let second = to_id
        if to_id < from_id {
            first = to_id
            second = from_id
        }
        let a = select balance from accounts where id = first for update
        let b = select balance from accounts where id = second for update
        let f = select balance from accounts where id = from_id
        if f >= amount {
            update accounts set balance = balance - amount where id = from_id
            update accounts set balance = balance + amount where id = to_id
        }
    }
}

final conservation: accounts[1].balance + accounts[2].balance + accounts[3].balance == 300
invariant never_negative: accounts[1].balance >= 0 and accounts[2].balance >= 0 and accounts[3].balance >= 0
expect safe
