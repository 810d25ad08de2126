// A keyword misspelt before its block.
model hint_misspelt_keyword
table t(id key, v) { (1, 0) }
process P {
    transacton {
        update t set v = 1 where id = 1
    }
}
