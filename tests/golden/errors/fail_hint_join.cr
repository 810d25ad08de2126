// A join: racecheck's SQL reads one table per statement.
model hint_join
table t(id key, v) { (1, 0) }
table u(id key, tid) { (1, 1) }
process P {
    let x = select t.v from t join u on u.tid = t.id where t.id = 1
}
