// The idempotent consumer of idempotency_sismember with SADD as the check: SADD answers 1 to the
// one consumer that added the id and 0 to every other, in one command, so a message delivered
// twice is handled once. (A consumer that dies after SADD and before handling loses the message:
// this model has no crashes.)
//   if r.sadd("processed", msg.id) == 1:
//       handle(msg)
model idempotency_sadd
runtime threads

redis { processed: set(2) = [7] }
ghost handled = 0

process Consumer[2] {
    if redis.SADD(processed, 42) == 1 {
        handled += 1                            // handle(msg)
    }
}

invariant once: handled <= 1
cover handled_once: handled == 1 and contains(redis.processed, 42) and len(redis.processed) == 2
expect safe
