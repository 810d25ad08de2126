// `await` before a query or a Redis command adds no step (issue 12), before a fn call one yield
// after its body (Node's microtask, round 17): the handler reads as its Node.js original.
//   async function claim(id) {
//     const owner = await redis.get("owner");
//     if (owner !== null) return;                 // someone has it
//     await db.query("update jobs set owner = $1 where id = 1", [id]);
//     await redis.set("owner", id);
//   }
model fn_return_event_loop
runtime event_loop

redis { owner }
table jobs(id key, owner null) { (1, null) }
ghost claims = 0

fn mark(who) {
    await update jobs set owner = who where id = 1
    claims += 1
}

process Claim[2] {
    let owner = await redis.GET(owner)
    if owner is not null {
        return
    }
    await mark(self + 1)
    await redis.SET(owner, self + 1)
}

invariant one_claim: claims <= 1
expect violation one_claim
