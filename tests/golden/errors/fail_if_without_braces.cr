// an if without braces around its body
model m
shared x = 0
process P {
    if x > 0
        x = 1
}
