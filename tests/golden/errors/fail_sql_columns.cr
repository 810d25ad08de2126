// unknown table and columns, and a tuple of the wrong size
model m
table accounts(id key, balance) { (1, 100) }
process P {
    let (b, v) = select balance from accounts where id = 1
    let c = select balanse from accounts where id = 1
    update acounts set balance = 0 where id = 1
}
