// The fix of shop_oversell.cr: the checkout takes the item in one conditional update, which
// PostgreSQL re-checks on the row as it is once the other checkout's lock is gone, and records
// the order only when the update changed the row:
//   UPDATE stock SET qty = qty - 1 WHERE sku = 1 AND qty >= 1;    -- 1 row, or 0 when sold out
//   INSERT INTO orders VALUES (:order_id, 1, 1);                  -- only after 1 row
// The properties are those of shop_oversell.cr, over the tables as a report query sees them:
//   SELECT coalesce(sum(qty), 0) FROM orders WHERE sku = 1;          -- items sold: at most 1
//   SELECT (SELECT sum(qty) FROM stock) + (SELECT count(*) FROM orders);  -- always 1
model shop_conditional_update
runtime threads

table stock(sku key, qty) { (1, 1) }
table orders(id key, sku, qty) {}

process Checkout[2](order_id = 1 + self) {
    transaction {
        let taken = update stock set qty = qty - 1 where sku = 1 and qty >= 1
        if taken == 1 {
            insert into orders values (order_id, 1, 1)
        }
    }
}

invariant not_oversold: coalesce(sum(orders.qty where sku = 1), 0) <= 1
final conservation: sum(stock.qty) + count(orders) == 1
// Both outcomes happen: one checkout sells the item and the other finds none left.
cover sold: exists(orders where sku = 1)
cover sold_out: count(stock where qty == 0) == 1 and count(orders) == 1
expect safe
