// A payment handler that charges in one transaction, and a client that sends the request again
// when it gets no reply. The transaction is atomic, so a crash inside it charges nothing; but
// the worker may die after COMMIT, before its reply leaves, and the client's retry charges the
// card a second time. `may crash on crash retry at most 1` explores exactly that: a crash
// between any two steps, and after the last one (docs/language.md, "Crashes").
//   BEGIN;
//   INSERT INTO charges (id, amount) VALUES (nextval(...), 30);
//   UPDATE accounts SET balance = balance - 30 WHERE id = 1;
//   COMMIT;
//   return 200   -- the worker may die before this reaches the client
// idempotency_on_conflict.cr is the fix: the request's idempotency key, recorded in the same
// transaction, turns the retry into a no-op.
model payment_lost_reply_retry
runtime threads

table charges(id key, amount) { }
table accounts(id key, balance) { (1, 100) }

process Pay may crash on crash retry at most 1 {
    transaction {
        let n = select count(*) from charges
        insert into charges values (n + 1, 30)
        update accounts set balance = balance - 30 where id = 1
    }
}

final charged_once: count(charges) <= 1 and accounts[1].balance >= 70
expect violation charged_once
