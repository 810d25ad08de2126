// A subquery in a where clause: run the inner select as a statement of its own.
model hint_subquery
table t(id key, v) { (1, 0) }
table u(id key, tid) { (1, 1) }
process P {
    update t set v = 1 where id in (select tid from u)
}
