// A keyword as a property's name: said at the declaration and at the expect line, rather than
// "expected a declaration" at the second (round 13).
model m
shared x = 0
process P {
    x = 1
}
invariant order: x >= 0
expect violation order
