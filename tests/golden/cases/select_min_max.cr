// select min(col) and max(col) (issue 11, aggregates): NULLs are skipped; over no rows, or rows
// whose column is NULL only, the result is NULL, as PostgreSQL gives (tests/conformance/scenarios.py,
// test_agg_min_max_skip_nulls_and_give_null_over_no_row). Both engines must agree.
model select_min_max
table prices(id key, price null, stock) { (1, null, 4), (2, 7, 2), (3, 3, 9) }
ghost lo = 0
ghost hi = 0
ghost none = 0
process Reader {
    let (a, b) = select min(price), max(price) from prices
    let (c, d) = select min(price), max(stock) from prices where id = 1
    let e = select max(price) from prices where id = 9
    let f = select min(id) from prices where price > 3
    lo = a
    hi = b
    if (c is null or c == 1) and d == 4 and e is null and f == 2 {
        none = 1
    }
}
process Writer {
    update prices set price = 1 where id = 1
}
final read_both: (lo == 3 or lo == 1) and hi == 7
final nulls_seen: none == 1
cover lowest_changed: lo == 1
expect safe
