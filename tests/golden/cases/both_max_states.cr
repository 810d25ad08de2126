// racecheck-args: --engine both --max-states 100
// Issue 13: under --engine both, --max-states limits the explicit engine alone, and a note says
// so; the z3 engine checks the model in full.
model both_max_states
shared counter = 0
process Inc[2] {
    counter += 1
}
final both: counter == 2
expect violation both
