// A for loop over an awaited select: said so (it is awaited already), rather than a lesson on
// counting loops (round 15).
model m
runtime event_loop
table jobs(id key, status) { (1, 0) }
process W {
    for j in await select id from jobs where status = 0 order by id {
        await update jobs set status = 1 where id = j.id
    }
}
invariant ok: true
