// A failure's name typed wrong: before 'retry' an error that says which was meant (round 15).
model m
table t(id key, v) { (1, 0) }
process W {
    transaction isolation serializable {
        update t set v = v + 1 where id = 1
    } on failure(serialisation_failure) retry at most 3
}
invariant ok: true
