// An order may only point at a customer that exists. PlaceOrder checks the customer row and
// inserts the order; DeleteCustomer deletes the customer unless it has orders. Without a
// foreign key the check is the application's (orders_parent_check.cr breaks it). Reading the
// customer `for share` keeps it from being deleted until the order is committed (other orders
// may read it for share at the same time, share_upgrade_deadlock.cr shows two share holders):
//   BEGIN;
//   SELECT id FROM customers WHERE id = $1 FOR SHARE;   -- waits for a delete under way
//   INSERT INTO orders (id, customer) VALUES ($2, $1);
//   COMMIT;
// The delete waits for the share lock; once it has the row it counts the orders afresh (read
// committed) and rolls back when there are any.
model orders_parent_for_share
runtime threads

table customers(id key) { (1) }
table orders(id key, customer) { }

process PlaceOrder(order_id = 10, customer_id = 1) {
    transaction {
        let c = select id from customers where id = customer_id for share
        if c is not null {
            insert into orders values (order_id, customer_id)
        }
    }
}

process DeleteCustomer(customer_id = 1) {
    transaction {
        delete from customers where id = customer_id
        let n = select count(*) from orders where customer = customer_id
        if n > 0 {
            rollback
        }
    }
}

final no_orphan_order: orders[10].customer is null or customers[1].id is not null
expect safe
