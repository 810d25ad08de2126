// a process reading a ghost would let bookkeeping change behaviour
model m
shared n = 0
ghost seen = 0
process P {
    if seen > 0 { n = 1 }
    seen += 1
}
