// Read skew under read committed: an audit reads two accounts while a transfer moves $10 between
// them. Possible: the audit reads account 1 before the transfer commits and account 2 after, and $10 seems to vanish.
model read_skew_read_committed
runtime threads

table accounts(id key, balance) { (1, 100), (2, 50) }
ghost anomalies = 0

process Transfer {
    transaction {
        update accounts set balance = balance - 10 where id = 1
        update accounts set balance = balance + 10 where id = 2
    }
}

process Audit {
    transaction isolation read_committed {
        let a = select balance from accounts where id = 1
        let b = select balance from accounts where id = 2
        if not (a + b == 150) {
            anomalies += 1              // the audit saw a total that never existed
        }
    }
}

invariant consistent: anomalies == 0
expect violation consistent
