// A parameter's default is computed once, as the instance is made, before any request runs:
// a default that reads shared state, a row or Redis would be frozen at its initial value, not
// read when the request starts (a new user's config read, round 10). Constants, parameters,
// earlier parameters and self are fine.
model m
const C = 3
param top in 1..2
shared x = 0
table t(id key, v) { (1, 2) }
redis { k = 1 }
process W[2](a = C + self, b = top + a, c = x + 1, d = t[1].v, e = redis.GET(k), f = redis.k) {
    x = a + b + c + d + e + f
}
invariant i: x >= 0
