// Issue 11 (NULL): writing null into a column not declared `null` fails the statement with
// 23502 not_null_violation, as PostgreSQL does; an insert that omits a nullable column stores null.
model null_not_null_violation
table jobs(id key, owner null, tries) { (1, null, 0) }
process P {
    insert into jobs (id, tries) values (2, 0)
    let o = select owner from jobs where id = 2
    assert o is null
    transaction {
        update jobs set tries = o where id = 2
    }
}
