// for_rows_for_update.cr without `for update`: both sales read the rows before either writes, and
// the loop writes from the values it read (s.n - 1), so the second sale's update of stock[11]
// overwrites the first one's: a lost update, and one item is sold twice for one decrement.
model for_rows_lost_update
runtime threads

table stock(id key, n) { (10, 1), (11, 2) }

process Sale[2] {
    transaction {
        for s in select id, n from stock where n > 0 order by id {
            update stock set n = s.n - 1 where id = s.id
        }
    }
}

final each_sold_twice: stock[10].n == 0 and stock[11].n == 0
expect violation each_sold_twice
