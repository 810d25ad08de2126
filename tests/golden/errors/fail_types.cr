// type mismatches in conditions, assignments and properties
model m
shared flag = false
shared n = 0
process P {
    if n { skip }
    flag = 3
    n += true
}
invariant bad: n + 1
