// = used for comparison outside SQL
model m
shared n = 0
process P {
    if n = 1 { skip }
}
