// From issue 11: a mutex taken inside a transaction that fails is released on the way out, as
// defer mu.Unlock() or finally would; racecheck used to report a deadlock of P[1] with itself.
model m
table t(id key, v) { (1, 0) }
lock mu
process P[2] {
    transaction isolation repeatable_read {
        let seen = select v from t where id = 1
        lock mu { update t set v = v + 1 where id = 1 }
    } on failure retry at most 3
}
final done: t[1].v == 2
expect safe
