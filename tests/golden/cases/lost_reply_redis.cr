// A payment service records a charge by INCRBY on the user's spent counter; the client retries
// when the reply is lost. The report's fix is Redis's own (an idempotency key set with NX in the
// same script as the work; IDEM=1 is safe): round 19 found it suggesting an insert ... on
// conflict on a model without tables.
model lost_reply_redis
const IDEM = 0
redis { spent = 0, idem }
process Pay may crash on crash retry at most 1 {
    if IDEM == 0 {
        redis.INCRBY(spent, 30)
    } else {
        redis.eval {
            if redis.SET(idem, 1, NX) {
                redis.INCRBY(spent, 30)
            }
        }
    }
}
final charged_once: redis.spent <= 30
expect violation charged_once
