// An assert inside a process fails in some interleaving.
model assert_fails
shared stock = 1
process Buy[2] {
    let s = stock
    if s > 0 {
        stock = s - 1
        let after = stock
        assert after >= 0 "stock went negative"
    }
}
expect violation stock_ok
invariant stock_ok: stock >= 0
