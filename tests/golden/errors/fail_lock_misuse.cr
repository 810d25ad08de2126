// locks used as values and arrays of locks used without an index
model m
lock row[2]
lock mu
shared n = 0
process P {
    lock row { n = 1 }
    n = mu
}
