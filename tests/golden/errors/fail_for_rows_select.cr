// Issue 11 (for loops over rows): the loop runs over a select with an order: update, insert
// and delete give no rows, and a select without 'order by' would leave the body's order open.
model m
table cart(id key, qty) { (1, 2), (2, 3) }
process P {
    for r in update cart set qty = 0 where id = 1 {
        skip
    }
    for s in select id, qty from cart where qty > 0 {
        skip
    }
}
