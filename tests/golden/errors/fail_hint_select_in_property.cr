// A select in a property: properties read tables with count, sum, min, max and exists.
model hint_select_in_property
table t(id key, v) { (1, 0) }
process P {
    update t set v = 1 where id = 1
}
invariant one: (select count(*) from t) <= 1
