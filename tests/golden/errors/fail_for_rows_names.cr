// Issue 11 (for loops over rows): what the row of a for loop is and is not. Name errors: a
// column the select does not list, the row read as a value, an index on the row, a dot after
// an ordinary local, and an aggregate or a repeated column in the loop's select.
model m
table cart(id key, user_id, qty) { (1, 1, 2), (2, 1, 3) }
process P {
    let u = 1
    for r in select id, qty from cart where user_id = u order by id {
        let a = r.user_id
        let b = r
        let c = r[1].qty
        let d = u.qty
    }
    for s in select count(*), qty, qty from cart order by id {
        skip
    }
}
