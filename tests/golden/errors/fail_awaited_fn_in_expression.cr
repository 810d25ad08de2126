// An awaited fn call inside an expression: the advice keeps the await.
model fail_awaited_fn_in_expression
runtime event_loop
table items(id key, price) { (1, 5) }
shared total = 0
fn price() {
    let p = select price from items where id = 1
    return p
}
process W[2] {
    total = total + await price()
}
final ok: total == 10
