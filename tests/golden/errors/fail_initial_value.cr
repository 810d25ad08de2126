// Initial values may use numbers, constants and params, not other variables or `self`.
model fail_initial_value
param start in 0..10
shared a = start + 1
shared b = a + 1
ghost g = self
shared c[2] = {start, b}
process P { a -= 1 }
invariant ok: a >= -1
