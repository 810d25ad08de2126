// expect names a property that does not exist
model m
shared n = 0
invariant ok: n >= 0
expect violation conservation
