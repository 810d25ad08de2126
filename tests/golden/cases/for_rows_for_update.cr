// Issue 11 (for loops over rows): `for ... for update` locks every row the select returns, in
// its order, before the body runs; a second sale waits, then takes the rows as they are after
// the first one's commit (read committed re-reads them), so no decrement is lost.
//   BEGIN;
//   for s in SELECT id, n FROM stock WHERE n > 0 ORDER BY id FOR UPDATE:
//       UPDATE stock SET n = :s.n - 1 WHERE id = :s.id;
//   COMMIT;
model for_rows_for_update
runtime threads

table stock(id key, n) { (10, 1), (11, 2) }

process Sale[2] {
    transaction {
        for s in select id, n from stock where n > 0 order by id for update {
            update stock set n = s.n - 1 where id = s.id
        }
    }
}

final each_sold_twice: stock[10].n == 0 and stock[11].n == 0
expect safe
