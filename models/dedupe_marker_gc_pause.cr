// dedupe_marker_within_ttl.cr with a stop-the-world GC pause of up to 40 between the claim and
// the work: the 30 ms marker runs out under the delivery that set it, a redelivery's SET NX
// succeeds, and the message is applied twice. The marker only dedupes what arrives while it lives;
// the usual fix is to make the effect itself idempotent (an upsert keyed by the message id, as in
// idempotency_on_conflict.cr). The three deliveries are identical, so the explicit engine keeps
// one state per orbit of them; the run it reports is a run of the model, Delivery[0] to [2].
model dedupe_marker_gc_pause
runtime threads

const N = 3                          // deliveries of the one message
redis { seen, total = 0 }
ghost applied = 0

process Delivery[N] {
    takes 0..10 {
        if redis.SET(seen, 1, NX, PX = 30) {
            applied += 1
            pause 0..40                    // the GC pause, on top of the work's 10
            redis.INCRBY(total, 10)        // the message's effect
            redis.PERSIST(seen)
        }
    }
}

invariant applied_once: applied <= 1
expect violation applied_once
