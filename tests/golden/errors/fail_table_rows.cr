// 'rows N' gives a table room for N rows: no room at all, a bound that is not a constant, and
// fewer rows than the table starts with.
model fail_table_rows
runtime threads
table b(id key, v) rows 0 { }
table c(id key, v) rows x { }
table d(id key, v) rows 1 { (1, 0), (2, 0) }
table e(id key, v) rows 65 { }
shared x = 1
process P {
    skip
}
