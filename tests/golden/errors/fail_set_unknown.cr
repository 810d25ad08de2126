// racecheck-args: --set NOPE=3
// --set names a constant the model does not have
model m
const START = 1
shared n = START
