// A misspelt column in a check constraint: named as a column of the table, with the nearest one.
model fail_check_column_typo
table stock(sku key, qty, check (qtty >= 0)) { (1, 1) }
process P {
    update stock set qty = qty - 1 where sku = 1
}
invariant fine: stock[1].qty >= 0
