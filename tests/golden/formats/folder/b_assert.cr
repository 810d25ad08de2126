// Both buyers pass the check on a stale read; the assert catches the second decrement.
model oversell
shared stock = 1

process Buy[2] {
    let s = stock
    if s > 0 {
        stock = stock - 1
        let after = stock
        assert after >= 0 "stock went negative"
    }
}

expect safe
