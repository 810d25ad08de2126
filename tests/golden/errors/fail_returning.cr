// 'returning' names columns of the statement's table, one per name receiving them (issue 11:
// returning)
model m
table jobs(id key, status) { (1, 0) }
process P {
    let a = update jobs set status = 1 where id = 1 returning ident
    let (b, c) = delete from jobs where id = 1 returning id
}
