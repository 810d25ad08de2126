// `expect violation assert` records that some assertion fails (here on a stale read), for a
// model whose only property is an assert.
model expect_assert
shared stock = 1
process Buy[2] {
    let s = stock
    if s > 0 {
        stock = stock - 1
        let after = stock
        assert after >= 0 "stock went negative"
    }
}
expect violation assert
