// From issue 11 (named values): "running" in double quotes is an identifier in PostgreSQL
// and a syntax error here; the message shows the single-quoted form.
model m
enum Status { queued, running }
table jobs(id key, status Status) { (1, queued) }
process Worker {
    update jobs set status = "running" where id = 1
}
