// A repeatable-read read-modify-write retried on failure inside a takes block, beside a request
// that updates another column of the row once: PostgreSQL fails the holder's update (40001) at
// most once, and the retry, with a fresh snapshot, succeeds alone. The waiting probe compared the
// request's state without its transaction's, so the retry, back at the update with the same
// value read, looked like the state it started from and was taken for a wait: a false alarm
// (round 27). A probe of more than one step compares the instance's whole block now.
model repeatable_read_retry_after_one_touch_in_takes
runtime threads
table t(id key, val, seen) { (1, 0, 0) }
redis { lease, work = 0 }
ghost holders = 0

process Holder {
    takes 0..10 {
        if redis.SET(lease, 1, NX, PX = 30) {
            holders += 1
            let done = false
            while not done {
                transaction isolation repeatable_read {
                    let v = select val from t where id = 1
                    update t set val = v + 1 where id = 1
                } on failure {
                    continue
                }
                done = true
            }
            holders -= 1
            redis.eval {
                if redis.GET(lease) == 1 {
                    redis.DEL(lease)
                }
            }
        }
    }
}

process Other {
    takes 0..10 {
        if redis.SET(lease, 2, NX, PX = 30) {
            holders += 1
            redis.INCR(work)
            holders -= 1
            redis.eval {
                if redis.GET(lease) == 2 {
                    redis.DEL(lease)
                }
            }
        }
    }
}
process Touch {
    update t set seen = 1 where id = 1
}

invariant mutual_exclusion: holders <= 1
cover both_worked: t[1].val == 1 and redis.work == 1 and t[1].seen == 1
expect safe
