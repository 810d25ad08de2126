// A misspelt column in a where clause: named as a column of the table, with the nearest one.
model fail_where_column_typo
table stock(sku key, qty) { (1, 1) }
process P {
    update stock set qty = qty - 1 where skuu = 1
}
invariant fine: stock[1].qty >= 0
