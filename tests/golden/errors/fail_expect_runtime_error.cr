// A runtime error is no property: 'expect error' says a run ends in one.
model fail_expect_runtime_error
table jobs(id key, status) { (1, 0), (2, 0) }
process Worker {
    let job = select id from jobs where status = 0
}
invariant ok: true
expect violation runtime_error
