// The same relay with DELETE ... RETURNING: taking a message and removing it are one statement,
// so a second relay that waited for the first's row locks finds nothing left to delete.
//   DELETE FROM outbox WHERE sent = 0 RETURNING id
model for_delete_returning
runtime threads
table outbox(id key, sent) { (1, 0), (2, 0) }
shared published[3] = 0
process Relay[2] {
    for m in delete from outbox where sent = 0 returning id {
        published[m.id] += 1
    }
}
invariant once: published[1] <= 1 and published[2] <= 1
final all_published: published[1] == 1 and published[2] == 1
expect safe
