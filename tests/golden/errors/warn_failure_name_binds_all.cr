// A single name before a handler block names the failure, so the block handles every failure:
// one within two letters of a failure's name is most likely that failure typed wrong (round 15).
model m
table t(id key, v) { (1, 0) }
ghost retried = 0
process W[2] {
    transaction isolation serializable {
        let seen = select v from t where id = 1
        update t set v = v + 1 where id = 1
    } on failure(serialisation_failure) {
        retried += 1
    }
}
invariant ok: true
