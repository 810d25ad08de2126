// The payment endpoint of idempotency_in_memory_restart.cr with the served ids kept in Redis:
// SET NX takes the id, and only the request that took it charges the card.
//   app.post('/pay', async (req, res) => {
//     if (!await redis.set(`paid:${req.id}`, 1, { NX: true })) return res.send('already paid');
//     await provider.charge(req.card, req.amount);
//     res.send('paid');
//   });
// Request[1] is the client's retry of Request[0]. The server process may restart at any point:
// Redis keeps the id, so the retry still finds it. (A restart between the SET and the charge
// loses the payment instead: the key says paid and no card was charged. That is no double
// charge; a real system settles it with the provider's own idempotency key.)
model idempotency_redis_restart
runtime event_loop
replica may crash

redis { paid }
ghost charges = 0

process Request[2] {
    if redis.SET(paid, 1, NX) {
        await               // the call to the payment provider
        charges += 1        // it charged the card
    }
}

invariant charged_once: charges <= 1
expect safe
