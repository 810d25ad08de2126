// A shopping cart kept in a Redis hash (field: product id, value: quantity). "Add to cart" reads
// the quantity and writes it back plus one: two requests for the same product, from two tabs,
// read the same quantity and both write it plus one, so one of the two additions is lost.
//   qty = int(r.hget(f"cart:{user}", product) or 0)
//   r.hset(f"cart:{user}", product, qty + 1)
// cart_hincrby is the fix: HINCRBY adds in one command.
model cart_hget_hset
runtime threads

redis { cart: hash(2) = {7: 1} }
ghost added = 0

process AddToCart[2] {
    let qty = coalesce(redis.HGET(cart, 7), 0)
    redis.HSET(cart, 7, qty + 1)
    added += 1
}

invariant every_addition_counted: coalesce(hget(redis.cart, 7), 0) == 1 + added
expect violation every_addition_counted
