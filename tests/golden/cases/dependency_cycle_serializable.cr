// A cycle of three transactions under serializable (Adya's G2): each of three requests reads its
// neighbour's counter and writes its own from it, as a chain of derived totals does:
//   BEGIN ISOLATION LEVEL SERIALIZABLE;
//   SELECT v FROM totals WHERE id = (self + 1) % 3;
//   UPDATE totals SET v = <that> + 1 WHERE id = self;
//   COMMIT;
// Run one after another in any order, the last one reads a counter already raised, so the counters
// add up to at least 4. Run at once, every snapshot misses the other two writes: no two of them
// form a write skew, but the three form a cycle: SSI fails one of them (40001), which retries, so
// the counters still add up to 4. Prevented. (A golden case, not a model: the z3 engine takes
// over a minute to prove it.)
model dependency_cycle_serializable
runtime threads

table totals(id key, v) { (0, 0), (1, 0), (2, 0) }

process Derive[3] {
    transaction isolation serializable {
        let next = select v from totals where id = (self + 1) % 3
        update totals set v = next + 1 where id = self
    } on failure retry at most 2
}

final serializable: totals[0].v + totals[1].v + totals[2].v >= 4
expect safe
