// Job status kept in Redis, one key per job; a worker claims a job with SET ... GET (it sets
// running and learns what was there) and runs it only if it was queued. The bug: SET GET puts a
// finished job's status back to running. The report names no lost update: a SET GET that writes
// the value the key already holds changes nothing another request could lose (round 19: it
// named Worker[1]'s running-over-running an update that Worker[0]'s done lost, on a key that
// ends as it should, and suggested INCRBY).
model set_get_no_lost_update
runtime threads

enum Status { queued, running, done }
redis { status[1..2] = queued }
ghost runs[1..2] = 0

process Worker[2] {
    let j = 1
    while j <= 2 {
        let old = redis.SET(status[j], running, GET)
        if old == queued {
            runs[j] += 1
            redis.SET(status[j], done)
        }
        j += 1
    }
}

invariant once: runs[1] <= 1 and runs[2] <= 1
final all_done: redis.status[1] == done and redis.status[2] == done
expect violation all_done
