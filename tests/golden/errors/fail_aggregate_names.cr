// Aggregates over a table in properties: names (issue 11, properties over tables)
model m
enum Status { queued, done }
table jobs(id key, status Status, worker null) { (1, 'queued', null) }
table orders(id key, qty) {}
shared total = 0
process W { total += 1 }
invariant a: count(jobz) <= 1
invariant b: count(total where total > 0) == 0
invariant c: sum(jobs) == 0
invariant d: exists(jobs.status)
invariant e: count(jobs.worker) == 1
invariant f: sum(jobs.nope) == 0
invariant g: count(jobs where qty > 0) == 0
invariant h: count(jobs where orders.qty > 0) == 0
invariant i: count(jobs where jobs.nope == 1) == 0
