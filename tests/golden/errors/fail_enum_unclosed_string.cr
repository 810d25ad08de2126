// From issue 11 (named values): an SQL string left open is a lexical error that names the
// missing quote.
model m
enum Status { queued, running }
table jobs(id key, status Status) { (1, queued) }
process Worker {
    update jobs set status = 'running where id = 1
}
