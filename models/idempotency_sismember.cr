// Idempotent message handling with a Redis set of the ids already processed: a consumer checks
// SISMEMBER, handles the message, then SADDs its id. The same message delivered twice (an
// at-least-once queue redelivers it) reaches two consumers at once: both see it as new and both
// handle it, e.g. charge the card twice.
//   if not r.sismember("processed", msg.id):
//       handle(msg)
//       r.sadd("processed", msg.id)
// idempotency_sadd is the fix: SADD's answer is the check.
model idempotency_sismember
runtime threads

redis { processed: set(2) }
ghost handled = 0

process Consumer[2] {
    if not redis.SISMEMBER(processed, 42) {
        handled += 1                            // handle(msg)
        redis.SADD(processed, 42)
    }
}

invariant once: handled <= 1
expect violation once
