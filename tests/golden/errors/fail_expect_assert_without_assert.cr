// `expect violation assert` in a model without any assert: it could never be met.
model no_assert
shared stock = 1
process Buy[2] {
    let s = stock
    if s > 0 {
        stock = s - 1
    }
}
invariant never_negative: stock >= 0
expect violation assert, never_negative
