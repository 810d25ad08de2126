// Under the event loop a request may die between an awaited call's answer and the code after
// it, as after a bare await: the charge is committed and the in-memory flag never set (round 32:
// proved safe before 2026-12-07, while the same model under threads, with a bare await after the
// insert, or with a ghost was not).
model crash_after_awaited_call
runtime event_loop
shared paid = false
table charges(id key, amount) { }
process Pay may crash {
    await insert into charges values (1, 30)
    paid = true
}
final in_sync: paid == (count(charges) == 1)
expect violation in_sync
