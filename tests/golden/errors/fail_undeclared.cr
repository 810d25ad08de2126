// names that are not declared, reported together
model m
shared balance = 100
process P {
    let b = balanse
    total = b
}
invariant ok: balance >= mininum
