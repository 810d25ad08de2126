// where col in (...): any listed value matches, in SQL and outside it (issue 11, picking rows)
model where_in
enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'running'), (3, 'done') }
ghost open = 0
ghost picked = 0
process P {
    let n = select count(*) from jobs where status in ('queued', 'running')
    let first = select id from jobs where id in (2, 3) and status != 'done'
    open = n
    if first in (2, 4) {
        picked = first
    }
}
final two_open: open == 2
final picked_two: picked == 2
expect safe
