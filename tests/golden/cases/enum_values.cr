// From issue 11 (named values): wherever a value is shown it reads as its name, never as its
// number: in the trace (locals, a shared read, table cells, Redis keys), in the violated
// property's values and in the explanation.
model enum_values
enum Status { queued, running, done }
shared phase = queued
table jobs(id key, status Status) { (1, 'queued') }
redis { state = queued }

process Worker[2] {
    let st = select status from jobs where id = 1
    if st == queued and phase == queued {
        update jobs set status = 'running' where id = 1
        redis.SET(state, running)
        phase = done
    }
}

invariant not_all_at_once: not (phase == done and jobs[1].status == running and redis.state == running)
