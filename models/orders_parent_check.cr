// An order may only point at a customer that exists (orders_parent_for_share.cr is the fix).
// PlaceOrder reads the customer with a plain select, which takes no lock: DeleteCustomer
// deletes the customer and counts its orders before the new order is committed, finds none,
// and commits. The order is left pointing at a customer that is gone.
//   BEGIN;
//   SELECT id FROM customers WHERE id = $1;   -- the customer exists
//   INSERT INTO orders (id, customer) VALUES ($2, $1);
//   COMMIT;
model orders_parent_check
runtime threads

table customers(id key) { (1) }
table orders(id key, customer) { }

process PlaceOrder(order_id = 10, customer_id = 1) {
    transaction {
        let c = select id from customers where id = customer_id
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
expect violation no_orphan_order
