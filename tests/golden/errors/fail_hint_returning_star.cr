// RETURNING *.
model hint_returning_star
table a(id key, v) { (1, 0) }
process P {
    let r = update a set v = 1 where id = 1 returning *
}
