// Non-repeatable read under read committed: a transaction reads the same row twice while another
// commits a change to it. Possible: each statement sees what was committed before it started.
model non_repeatable_read_read_committed
runtime threads

table accounts(id key, balance) { (1, 100) }
ghost anomalies = 0

process Writer {
    update accounts set balance = 50 where id = 1
}

process Reader {
    transaction isolation read_committed {
        let first = select balance from accounts where id = 1
        let second = select balance from accounts where id = 1
        if not (first == second) {
            anomalies += 1              // the same row read twice gave two values
        }
    }
}

invariant consistent: anomalies == 0
expect violation consistent
