// Issue 11 (NULL): `v = null` in SQL is never true (unknown, as in PostgreSQL): a warning that
// points to `is null`; the model still runs, and the select counts no row.
model null_sql_comparison
table t(id key, v null) { (1, null), (2, 5) }
process P {
    let n = select count(*) from t where v = null
    let m = select count(*) from t where v is null
    assert n == 0 and m == 1
}
expect safe
