// 'returning' gives one value per column, as a select does (issue 11: returning)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued') }
process P {
    let (b, c) = delete from jobs where id = 1 returning id
    let s = update jobs set status = 'done' where id = 1 returning status
    s = 3
}
