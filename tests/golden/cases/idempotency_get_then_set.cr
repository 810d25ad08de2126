// An idempotency key checked with GET, then set with SET (not NX): both deliveries find the key
// absent and both insert the payment. The explanation names the check then set and advises
// SET ... NX, not a counting command (round 30: it said "lost update" and advised INCRBY).
model idempotency_get_then_set
table payments(id key, amount) { }
redis { idem }
process Delivery[2] {
    let seen = redis.GET(idem)
    if seen is null {
        redis.SET(idem, 1)
        insert into payments values (1 + self, 100)
    }
}
invariant one_payment: count(payments) <= 1
expect violation one_payment
