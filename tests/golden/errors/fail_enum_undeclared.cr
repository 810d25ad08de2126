// From issue 11 (named values): a misspelt value and a column type that names no enum are
// located errors, like any undeclared name; an enum's own name is not a value.
model m
enum Status { queued, running, done }
table jobs(id key, status Stat) { (1, queued) }
shared last = queud
process Worker {
    last = runing
    let s = Status
}
