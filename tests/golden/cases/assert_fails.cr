// An assert inside a process fails in some interleaving: both buyers pass the check on a
// stale read, and the second decrement takes the stock below zero.
model assert_fails
shared stock = 1
process Buy[2] {
    let s = stock
    if s > 0 {
        stock = stock - 1
        let after = stock
        assert after >= 0 "stock went negative"
    }
}
