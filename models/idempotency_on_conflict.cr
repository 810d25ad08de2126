// A payment endpoint made idempotent by its key: the client retries a request (or two workers
// take the same message), and the card must be charged once. The handler records the key first,
// and charges only when its insert added the row; the retry's insert waits for the first one's
// transaction, then changes nothing.
//   BEGIN;
//   INSERT INTO payments (idempotency_key, charged) VALUES ($1, false)
//     ON CONFLICT (idempotency_key) DO NOTHING;
//   -- 1 row: ours: charge the card, then
//   UPDATE payments SET charged = true WHERE idempotency_key = $1;
//   -- 0 rows: a retry: return the first request's result
//   COMMIT;
model idempotency_on_conflict
runtime threads

table payments(idempotency_key key, charged) { }
ghost charges = 0

process Request[2](request_key = 42) {
    transaction {
        let n = insert into payments values (request_key, 0) on conflict (idempotency_key) do nothing
        if n == 1 {
            charges += 1
            update payments set charged = 1 where idempotency_key = request_key
        }
    }
}

invariant charged_once: charges <= 1
final charged: charges == 1 and payments[42].charged == 1
expect safe
