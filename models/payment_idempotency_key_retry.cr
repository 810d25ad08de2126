// payment_lost_reply_retry.cr made safe: the request carries an idempotency key, and the handler
// records it in the same transaction as the charge. A retry after a lost reply finds the key and
// charges nothing; a crash before COMMIT rolls the key back with the charge, so the retry charges
// once. Checked with a crash between any two steps and after the last one.
//   BEGIN;
//   INSERT INTO payments (idempotency_key, amount) VALUES ($1, 30) ON CONFLICT DO NOTHING;
//   -- 1 row: this request's first attempt: charge
//   UPDATE accounts SET balance = balance - 30 WHERE id = 1;
//   COMMIT;
model payment_idempotency_key_retry
runtime threads

table payments(idempotency_key key, amount) { }
table accounts(id key, balance) { (1, 100) }

process Pay(request_key = 42) may crash on crash retry at most 2 {
    transaction {
        let added = insert into payments values (request_key, 30) on conflict (idempotency_key) do nothing
        if added == 1 {
            update accounts set balance = balance - 30 where id = 1
        }
    }
}

final charged_once: accounts[1].balance == 100 or accounts[1].balance == 70
final paid_if_recorded: (payments[42].amount == 30) == (accounts[1].balance == 70)
expect safe
