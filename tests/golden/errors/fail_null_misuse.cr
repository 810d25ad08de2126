// Issue 11 (NULL): null where a type forbids it, and arithmetic on the literal null.
model m
shared s = null
table t(id key, v null, w) { (1, 2, null) }
process P {
    let a = null
    let b = 1 + null
    if null { skip }
    let c = coalesce(null, 1, true)
    let d = null is null
    let e = select v from t where id = 1
    e = null
}
