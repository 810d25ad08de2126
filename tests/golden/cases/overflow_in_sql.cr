// Issue 13: SQL expressions follow the same rule: balance + 1 - 1 overflows at the addition.
model overflow_in_sql
table accounts(id key, balance) { (1, 2147483647) }
process P {
    update accounts set balance = balance + 1 - 1 where id = 1
}
