// The vacuity warning covers tables and Redis keys too: a property over a table no request
// changes, or a key no command changes, cannot see the requests' work through it.
model property_reads_unwritten_table_and_key
table accounts(id key, balance) { (1, 100) }
table audit(id key, amount) { }
redis { hits = 0, lease }
redis nodes[2] { seen: list(2) }
process W {
    let bal = select balance from accounts where id = 1
    update accounts set balance = bal - 10 where id = 1
    let h = redis.GET(hits)
    nodes[0].LLEN(seen)
}
invariant a: count(audit) <= 1 and accounts[1].balance >= 0
invariant b: redis.hits == 0 or redis.lease is null
invariant c: len(nodes[1].seen) == 0
