// A SQL clause in process code is process code: it cannot read a ghost or a committed cell from
// outside. Found while adding aggregates over tables (issue 11): these were accepted before.
model m
table jobs(id key, worker null) { (1, null) }
ghost g = 0
process W {
    update jobs set worker = 1 where id = jobs[1].id and g == 0
    insert into jobs values (2, g)
}
