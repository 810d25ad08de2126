// A misspelt expect word gets a suggestion.
model m
shared x = 0
process P {
    x = 1
}
invariant i: x <= 1
expect violaton i
