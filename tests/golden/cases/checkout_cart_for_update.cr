// models/checkout_cart.cr with the stock row locked: `select n from stock where id = line.item
// for update`. The second checkout waits for the first to commit, then reads the stock left
// and rolls back when it is gone: no oversell, and the first checkout still sells out.
model checkout_cart_for_update
runtime threads

table cart(id key, user_id, item, qty) { (1, 1, 10, 1), (2, 1, 11, 1), (3, 2, 10, 1) }
table stock(id key, n) { (10, 1), (11, 1) }

process Checkout[2](user = self + 1) {
    transaction {
        for line in select item, qty from cart where user_id = user order by id {
            let left = select n from stock where id = line.item for update
            if left < line.qty {
                rollback
            }
            update stock set n = n - line.qty where id = line.item
        }
    }
}

invariant no_oversell: stock[10].n >= 0 and stock[11].n >= 0
cover sold_out: stock[10].n == 0 and stock[11].n == 0
expect safe
