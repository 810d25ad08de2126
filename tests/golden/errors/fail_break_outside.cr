// break and rollback where they have no target
model m
shared n = 0
process P {
    break
    rollback
}
