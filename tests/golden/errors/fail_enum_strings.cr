// From issue 11 (named values): inside SQL a value may be written as a string, as in the real
// query; the string must be a value of the column's enum. Outside SQL, or where no column
// gives its enum, a string is an error.
model m
enum Status { queued, running, done }
table jobs(id key, status Status, tries) { (1, 'queued', 0) }
shared st = queued
process Worker {
    let a = select id from jobs where status = 'queud'
    let b = select id from jobs where tries = 'queued'
    update jobs set status = 'finished' where id = 1
    insert into jobs values (2, 'new', 0)
    let c = select id from jobs where 'queued' = 'running'
    if st == 'running' { skip }
}
