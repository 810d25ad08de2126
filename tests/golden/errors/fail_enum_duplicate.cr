// From issue 11 (named values): a bare value must name one thing. A value in two enums, a
// value named like a variable, and a column or Redis key named like a value are errors.
model m
enum Status { queued, running, done }
enum Phase { start, done }
shared running = 0
table jobs(id key, queued) { (1, 0) }
redis { start }
process Worker {
    let Status = 1
}
