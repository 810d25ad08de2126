// Aggregates over a table in properties: types (issue 11, properties over tables)
model m
enum Status { queued, done }
table jobs(id key, status Status, worker null) { (1, 'queued', null) }
process W { skip }
invariant a: sum(jobs.status) == 0
invariant b: count(jobs where worker) == 0
invariant c: exists(jobs) == 1
invariant d: count(jobs where status == 1) == 0
cover e: count(jobs)
final f: count(jobs where status = 'queud') == 1
