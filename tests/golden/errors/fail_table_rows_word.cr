// After a table's columns only 'rows N' may come.
model fail_table_rows_word
table jobs(id key, v) row 4 { }
process P {
    skip
}
