// a retry bound must be a positive constant
model m
shared n = 0
process P {
    let k = 3
    retry at most k { n += 1 }
}
