// A check constraint is about its row alone: no aggregate over the table (issue 11, properties over tables)
model m
table orders(id key, qty, check (count(orders where qty > 0) < 3)) { (1, 1) }
process W { skip }
