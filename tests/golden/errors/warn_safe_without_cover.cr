// expect safe with invariants only: a fix that stopped every request would pass too.
model counter
shared hits = 0
process Request[2] {
    atomic { hits += 1 }
}
invariant bounded: hits <= 2
expect safe
