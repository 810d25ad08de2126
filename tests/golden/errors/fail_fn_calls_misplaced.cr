// A fn call where it cannot stand, each said in its own words (round 14): a tuple let takes a
// select's columns, a property looks at the state at once, a default is computed before any
// request runs (said once).
model m
table t(id key, a, b) { (1, 2, 3) }
shared x = 0
fn pair() {
    let (p, q) = select a, b from t where id = 1
    return p + q
}
process P[2](start = pair()) {
    let (p, q) = pair()
    x = p
}
invariant small: x <= pair()
