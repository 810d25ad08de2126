// racecheck-args: --engine both
// Found by hand (issue 13): a model without processes stopped the z3 engine with SIGSEGV (it
// took the first mover of a step that has none). Both engines check its only state.
model no_process
const START = 7
shared balance = START
invariant positive: balance > 0
final unchanged: balance == START
expect safe
