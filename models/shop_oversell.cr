// An online shop sells its last item twice. A checkout reads the stock and, when an item is
// left, takes it and records the order, in statements of their own:
//   SELECT qty FROM stock WHERE sku = 1;                  -- 1 left
//   UPDATE stock SET qty = :left - 1 WHERE sku = 1;
//   INSERT INTO orders VALUES (:order_id, 1, 1);
// Both checkouts read 1 before either writes, so two orders share one item. The properties
// look at the tables as a report query would:
//   SELECT coalesce(sum(qty), 0) FROM orders WHERE sku = 1;          -- items sold: at most 1
//   SELECT (SELECT sum(qty) FROM stock) + (SELECT count(*) FROM orders);  -- always 1
// shop_conditional_update.cr is the fix.
model shop_oversell
runtime threads

table stock(sku key, qty) { (1, 1) }
table orders(id key, sku, qty) {}

process Checkout[2](order_id = 1 + self) {
    let left = select qty from stock where sku = 1
    if left >= 1 {
        update stock set qty = left - 1 where sku = 1
        insert into orders values (order_id, 1, 1)
    }
}

// Sold items never exceed the one there was.
invariant not_oversold: coalesce(sum(orders.qty where sku = 1), 0) <= 1
// Every item is in stock or in an order (one item per order here).
final conservation: sum(stock.qty) + count(orders) == 1
cover sold: exists(orders where sku = 1)
expect violation not_oversold
