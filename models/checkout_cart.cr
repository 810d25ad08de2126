// A checkout that walks the cart and takes each item from stock, checking first that enough is
// left. Two users check out at once; both want the last unit of item 10.
//   BEGIN;
//   for line in SELECT item, qty FROM cart WHERE user_id = $user ORDER BY id:
//       left = SELECT n FROM stock WHERE id = line.item;           -- no lock
//       if left < line.qty: ROLLBACK; return "out of stock"
//       UPDATE stock SET n = n - line.qty WHERE id = line.item;
//   COMMIT;
// Both read n = 1 before either decrements, so both sell it and stock goes to -1. Reading the
// stock row with `select n ... for update` makes the second checkout wait for the first and
// see 0 (tests/golden/cases/checkout_cart_for_update.cr).
model checkout_cart
runtime threads

table cart(id key, user_id, item, qty) { (1, 1, 10, 1), (2, 1, 11, 1), (3, 2, 10, 1) }
table stock(id key, n) { (10, 1), (11, 1) }

process Checkout[2](user = self + 1) {
    transaction {
        for line in select item, qty from cart where user_id = user order by id {
            let left = select n from stock where id = line.item
            if left < line.qty {
                rollback
            }
            update stock set n = n - line.qty where id = line.item
        }
    }
}

invariant no_oversell: stock[10].n >= 0 and stock[11].n >= 0
expect violation no_oversell
