// Aggregates over a table belong to properties, not to process code, SQL clauses included (issue 11,
// properties over tables)
model m
table jobs(id key, worker null) { (1, null) }
process W {
    let n = count(jobs where worker == 1)
    assert exists(jobs)
    update jobs set worker = 1 where id = 1 and sum(jobs.worker) == 0
}
