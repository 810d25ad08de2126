// A model with processes but no property: only deadlocks and runtime errors are checked.
model counter
shared hits = 0
process Request[2] {
    hits += 1
}
