// At-least-once delivery: a queue hands the same message to three consumers (it redelivers while
// the first is still at work), and each claims it first with a dedupe marker in Redis:
//   if r.set("seen:" + msg_id, 1, nx=True, px=30000):   # redis-py
//       apply(msg)                                       # at most 10 s
//       r.persist("seen:" + msg_id)                      # done: the marker stays for good
// The marker lasts 30 and the work takes at most 10, so it cannot run out before PERSIST makes it
// permanent: the message is applied once. Times are scaled down (30 s as 30 ms). The three
// deliveries are identical (the marker's value is no token, no `self`), so the explicit engine
// keeps one state per orbit of them, timed as the model is (docs/semantics.md, "Symmetry").
// dedupe_marker_gc_pause.cr breaks the timing assumption. The ghost `applied` counts the
// deliveries that applied the message.
model dedupe_marker_within_ttl
runtime threads

const N = 3                          // deliveries of the one message
redis { seen, total = 0 }
ghost applied = 0

process Delivery[N] {
    takes 0..10 {
        if redis.SET(seen, 1, NX, PX = 30) {
            applied += 1
            redis.INCRBY(total, 10)        // the message's effect
            redis.PERSIST(seen)
        }
    }
}

invariant applied_once: applied <= 1
cover effect_applied: redis.total == 10
expect safe
