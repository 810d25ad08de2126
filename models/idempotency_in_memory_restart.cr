// A payment endpoint that remembers the request ids it has served in process memory (a Set in a
// Node.js module, a map in a Go server) and charges the card only for an id it has not seen:
//   const seen = new Set();
//   app.post('/pay', async (req, res) => {
//     if (seen.has(req.id)) return res.send('already paid');
//     seen.add(req.id);
//     await provider.charge(req.card, req.amount);
//     res.send('paid');
//   });
// Request[1] is the client's retry of Request[0], with the same id. While the server process
// lives, the retry finds the id and charges nothing. But the process may restart in between (a
// deploy, an OOM kill, a crash): the Set starts empty again, and the retry charges the card a
// second time. models/idempotency_redis_restart.cr keeps the ids in Redis instead.
model idempotency_in_memory_restart
runtime event_loop
replica may crash

shared seen = false
ghost charges = 0

process Request[2] {
    if not seen {
        seen = true
        await               // the call to the payment provider
        charges += 1        // it charged the card
    }
}

invariant charged_once: charges <= 1
expect violation charged_once
