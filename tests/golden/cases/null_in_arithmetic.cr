// Issue 11 (NULL): a select that finds no row gives null; arithmetic on it in process code is a
// runtime error naming the operator (in SQL, v + 1 with v null is null).
model null_in_arithmetic
table accounts(id key, balance) { (1, 100) }
process P {
    let b = select balance from accounts where id = 2
    let c = b - 10
}
