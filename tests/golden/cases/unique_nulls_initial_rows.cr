// Two initial rows with NULL in a unique column: NULL agrees with nothing, as in PostgreSQL's
// unique indexes, so the table is fine (round 12 found it refused at compile time).
model unique_nulls_initial_rows
table users(id key, email null unique) { (1, null), (2, null) }
process P {
    update users set email = 5 where id = 1
}
final one: count(users where email = 5) == 1
cover email_set: users[1].email == 5
expect safe
