// One increment under a lock: nothing to find.
model counter_locked
shared count = 0
lock mu

process Inc[2] {
    lock mu {
        count = count + 1
    }
}

final both_counted: count == 2
expect safe
