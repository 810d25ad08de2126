// Issue 11 (for loops over rows): the row's columns exist inside the body only, and a loop
// inside it cannot take the same row name.
model m
table cart(id key, qty) { (1, 2), (2, 3) }
process P {
    for r in select id, qty from cart order by id {
        for r in select id from cart order by id {
            skip
        }
    }
    let after = r.qty
}
