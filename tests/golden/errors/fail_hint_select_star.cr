// select * gets a hint: name the columns.
model m
table t(id key, v) { (1, 0) }
process P {
    let r = select * from t where id = 1
}
