// assert(condition, message) as in Node.js or Python.
model m
shared balance = 100
process W {
    balance -= 10
    assert(balance >= 0, "balance went negative")
}
