// 'allow failure' makes an unhandled failure no finding, so 'expect failure' could never be
// met (round 10 wrote both and read SAFE with EXPECTATION NOT MET).
model m
table t(id key, v) { (1, 0) }
process P[2] {
    transaction isolation repeatable_read {
        let seen = select v from t where id = 1
        update t set v = seen + 1 where id = 1
    }
}
allow failure
invariant ok: t[1].v >= 0
expect failure
