// racecheck-args: --engine z3 --max-states 100
// Issue 13: --max-states was silently ignored by the z3 engine, which has no states to count.
// It is refused, with the limits that do apply.
model z3_max_states
shared counter = 0
process Inc[2] {
    counter += 1
}
final both: counter == 2
expect violation both
