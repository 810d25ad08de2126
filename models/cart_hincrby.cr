// The shopping cart of cart_hget_hset with "add to cart" as one HINCRBY: Redis adds to the
// quantity in one command, creating the field at 0 when the product is not in the cart yet, so
// two requests at once both count. Removing a product (HDEL) takes the cart key with it when it
// was the last one, and a later HINCRBY starts a new cart.
//   r.hincrby(f"cart:{user}", product, 1)
//   r.hdel(f"cart:{user}", product)                               # "remove from cart"
model cart_hincrby
runtime threads

redis { cart: hash(2) = {7: 1} }
ghost added = 0

process AddToCart[2] {
    redis.HINCRBY(cart, 7, 1)
    added += 1
}

process AddOther {
    redis.HINCRBY(cart, 9, 1)
    redis.HDEL(cart, 9)
}

invariant every_addition_counted: coalesce(hget(redis.cart, 7), 0) == 1 + added
invariant other_at_most_once: coalesce(hget(redis.cart, 9), 0) <= 1
cover both_products: len(redis.cart) == 2
expect safe
