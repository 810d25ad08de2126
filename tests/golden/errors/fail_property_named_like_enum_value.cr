// A property named like an enum value: the caret goes under the name, not the line's start.
model fail_property_named_like_enum_value
enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued') }
process W {
    update jobs set status = 'done' where id = 1
}
final done: jobs[1].status == done
