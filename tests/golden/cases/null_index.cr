// A worker pops a queue that may be empty and indexes by what it got: the pop answers NULL, and
// NULL as an index is a runtime error that says so (round 19: it read "index -2147483648 is
// outside sent[1..2]", racecheck's own NULL value).
model null_index
redis { jobs: list(2) = [1] }
shared sent[1..2] = 0
process W[2] {
    let job = redis.RPOP(jobs)
    sent[job] += 1
}
