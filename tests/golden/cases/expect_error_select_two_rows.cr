// `expect error`: the handler takes "the" queued job with a select of one value and no limit;
// with two jobs queued the select finds two rows, a runtime error, which is what this model
// expects (round 30 could not say so: `expect violation runtime_error` named no property).
model expect_error_select_two_rows
enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
process Worker {
    let job = select id from jobs where status = 'queued'
    update jobs set status = running where id = job
}
invariant one_running: count(jobs where status == running) <= 1
expect error
