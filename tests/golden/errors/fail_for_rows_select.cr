// Issue 11 (for loops over rows): the loop runs over a select with an order, or over the rows an
// update or delete returns: an update without 'returning' gives a count, an insert one row, and a
// select without 'order by' would leave the body's order open.
model m
table cart(id key, qty) { (1, 2), (2, 3) }
process P {
    for r in update cart set qty = 0 where id = 1 {
        skip
    }
    for s in select id, qty from cart where qty > 0 {
        skip
    }
    for d in delete from cart where qty > 5 {
        skip
    }
    for i in insert into cart values (3, 1) returning id {
        skip
    }
}
