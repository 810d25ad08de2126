// One statement that locks two rows beside one that locks them in the opposite order: PostgreSQL
// locks a statement's rows one at a time, so each takes its first row and waits for the other's
// (40P01 to one; tests/conformance test_one_statement_locks_its_rows_one_at_a_time). Round 11
// found it proved impossible while a statement took every free row in one step.
//   A: UPDATE items SET n = n + 1 WHERE id IN (1, 2)
//   B: BEGIN; SELECT id FROM items ORDER BY id DESC FOR UPDATE; ... COMMIT
model opposite_order_row_locks
runtime threads
table items(id key, n) { (1, 0), (2, 0) }
process A { update items set n = n + 1 where id in (1, 2) }
process B {
    transaction {
        for r in select id from items order by id desc for update {
            update items set n = n + 10 where id = r.id
        }
    }
}
final both: items[1].n == 11 and items[2].n == 11
expect failure
