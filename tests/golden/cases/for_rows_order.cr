// Issue 11 (for loops over rows): the loop takes the rows in the select's order, with its limit,
// once: the body's own update and insert do not change what it iterates, and continue and
// break work as in while. Descending order puts NULL first, as PostgreSQL does.
model for_rows_order
runtime threads

table t(id key, v null) { (1, 30), (2, null), (3, 10), (4, 20) }
ghost visited = 0
ghost sum = 0

process P {
    let k = 0
    for r in select id, v from t where id > 0 order by v desc limit 3 {
        k += 1
        if k == 1 {
            assert r.id == 2 and r.v == null "NULL comes first in descending order"
            insert into t values (5, 50)
            continue
        }
        update t set v = 0 where id = r.id
        assert r.v != 0 "the rows are read once, at the for"
        sum += r.v
        visited += 1
    }
    let after = 0
    for r in select id, v from t order by id {
        if r.id == 3 {
            break
        }
        after += 1
    }
    assert after == 2 "break leaves the loop"
}

final taken_in_order: visited == 2 and sum == 50
final updated: t[1].v == 0 and t[4].v == 0 and t[3].v == 10 and t[5].v == 50
expect safe
