// an if block left open: the next declaration meets a block still open, and the error points
// at the brace that was never closed
model m
shared x = 0
process P[2] {
    if x == 0 {
        x = 1
}
invariant ok: x <= 1
