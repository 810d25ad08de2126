// Found by the random-model differential test, seed 3107: the z3 engine's run to cover c0 ends
// where P0[0] waits for a lock P0[1] kept, and the replay took that deadlock for a failed
// confirmation; a cover counts in such a state too (fixed in driver/engines.cpp).
model random_3107
runtime threads
shared x0 = 2
shared a[2] = {2, 0}
ghost g = 0
lock m0
process P0[2] {
    acquire m0
    let l0 = x0
    x0 += 2
}
invariant p0: x0 >= -16
invariant p1: g >= -8
cover c0: max(x0, 0) > 3
