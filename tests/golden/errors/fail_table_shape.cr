// a table without a key and a row of the wrong width
model m
table accounts(id, balance) { (1, 100, 7) }
