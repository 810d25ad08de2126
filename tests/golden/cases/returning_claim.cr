// A job claimed with update ... returning id (issue 11: returning): no queued job gives NULL;
// the claimed job is deleted, returning its last values, and a new one inserted, returning its own.
model returning_claim
enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'done') }
ghost claimed = 0
ghost none = 0
process Worker[2] {
    let job = update jobs set status = 'running' where status = 'queued' returning id
    if job == null {
        none += 1
    } else {
        claimed += 1
        let (d, s) = delete from jobs where id = job returning id, status
        assert s == running
        let (i, st) = insert into jobs values (5 + self, 'done') on conflict (id) do nothing returning id, status
        assert i == 5 + self
    }
}
final one_claim: claimed == 1 and none == 1
expect safe
