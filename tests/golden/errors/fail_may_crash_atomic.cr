// an atomic block is one step: nothing crashes inside it
model m
shared n = 0
process P {
    atomic {
        n += 1
        may crash
    }
}
