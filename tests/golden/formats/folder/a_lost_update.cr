// Two increments read the same value: one is lost. No expect line, so the violation is an error.
model lost_update
shared count = 0

process Inc[2] {
    let c = count
    count = c + 1
}

final both_counted: count == 2
