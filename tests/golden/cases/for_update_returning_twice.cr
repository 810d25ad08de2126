// An outbox relay that counts its attempts on every unsent message, publishes what the update
// returned, and marks each one sent afterwards, each statement on its own (autocommit):
//   UPDATE outbox SET attempts = attempts + 1 WHERE sent = 0 RETURNING id
//   -- publish, then: UPDATE outbox SET sent = 1 WHERE id = $1
// Two relays: the second's update commits after the first's, still finds the messages unsent,
// and publishes them again.
model for_update_returning_twice
runtime threads
table outbox(id key, sent, attempts) { (1, 0, 0), (2, 0, 0) }
shared published[3] = 0
process Relay[2] {
    for m in update outbox set attempts = attempts + 1 where sent = 0 returning id {
        published[m.id] += 1
        update outbox set sent = 1 where id = m.id
    }
}
invariant once: published[1] <= 1 and published[2] <= 1
expect violation once
