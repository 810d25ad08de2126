// sum over a table in a property is NULL when no row has a value, as SQL's sum (issue 11,
// properties over tables); arithmetic on it is then a runtime error naming the operator, as for
// any null in a property: write coalesce(sum(t.c where ...), 0).
model property_sum_null
table orders(id key, qty null) { (1, null) }
process Buyer {
    insert into orders values (2, 3)
}
invariant sold: sum(orders.qty where qty > 5) + 0 <= 3
