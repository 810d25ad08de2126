// Issue 11 (params in table rows): a key or unique cell from a param could repeat another row's
// for some value, so those cells must be constants; other cells take params, constants and
// numbers, but not variables.
model m
param K in 1..3
shared x = 0
table accounts(id key, email unique, org, balance) { (K, 1, 1, K), (2, K + 1, 1, 0), (3, 3, 1, x) }
table members(id key, org, email, unique (org, email)) { (1, 1, K) }
