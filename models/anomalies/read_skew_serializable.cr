// Read skew under serializable: an audit reads two accounts while a transfer moves $10 between
// them. Prevented: the audit reads both accounts from one snapshot.
model read_skew_serializable
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
    transaction isolation serializable {
        let a = select balance from accounts where id = 1
        let b = select balance from accounts where id = 2
        if not (a + b == 150) {
            anomalies += 1              // the audit saw a total that never existed
        }
    }
}

invariant consistent: anomalies == 0
expect safe
