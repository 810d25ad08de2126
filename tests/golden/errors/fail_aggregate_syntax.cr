// Aggregates over a table in properties: syntax the AST builder refuses (issue 11, properties over tables)
model m
table jobs(id key, worker null) { (1, null) }
process W { skip }
invariant a: avg(jobs where worker == 1) == 0
invariant b: count(1 + 2) == 0
invariant c: exists(jobs, jobs) or true
