// an unterminated string in an assert message
model m
shared x = 0
process P {
    assert x == 0 "never closed
}
