// Non-repeatable read under repeatable read: a transaction reads the same row twice while another
// commits a change to it. Prevented: both reads see the transaction's snapshot.
model non_repeatable_read_repeatable_read
runtime threads

table accounts(id key, balance) { (1, 100) }
ghost anomalies = 0

process Writer {
    update accounts set balance = 50 where id = 1
}

process Reader {
    transaction isolation repeatable_read {
        let first = select balance from accounts where id = 1
        let second = select balance from accounts where id = 1
        if not (first == second) {
            anomalies += 1              // the same row read twice gave two values
        }
    }
}

invariant consistent: anomalies == 0
expect safe
