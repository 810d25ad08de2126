// On-call write skew where only one code path was moved to serializable (an old admin script still
// runs at read committed). PostgreSQL's serializable checks only transactions that also run at it
// (tests/conformance: test_serializable_beside_read_committed_allows_write_skew), so both go off
// call, and the explanation names the transaction that escaped it.
model write_skew_mixed_isolation
table doctors(id key, on_call) { (1, 1), (2, 1) }
process App {
    transaction isolation serializable {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = 1
        }
    } on failure(serialization_failure) retry at most 3
}
process Admin {
    transaction {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = 2
        }
    }
}
invariant someone_on_call: count(doctors where on_call = 1) >= 1
expect violation someone_on_call
