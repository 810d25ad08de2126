// From issue 11 (named values): a column holds ints unless it names its enum ('status
// Status'); rows, inserts and updates must give each column a value of its type.
model m
enum Status { queued, running, done }
enum Color { red, green }
table jobs(id key, status Status, tries) { (1, 0, 0), (2, red, 0), (3, queued, queued) }
process Worker {
    insert into jobs values (4, queued, running)
    update jobs set status = 2 where id = 1
    let total = select sum(status) from jobs
}
