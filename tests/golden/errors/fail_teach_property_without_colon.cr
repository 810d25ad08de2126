// A property with its name but no colon.
model m
shared x = 0
process W { x = 1 }
invariant non_negative x >= 0
