// Lost update under read committed: two increments of a counter, each reading the value and writing
// value + 1 computed in the handler. Possible: the second update waits for the first one's row lock and then writes its stale value + 1.
model lost_update_read_committed
runtime threads

table counters(id key, n) { (1, 0) }
ghost increments = 0

process Increment[2] {
    let done = false
    transaction isolation read_committed {
        let x = select n from counters where id = 1
        update counters set n = x + 1 where id = 1
        done = true
    }
    if done {
        increments += 1
    }
}

final none_lost: counters[1].n == increments
expect violation none_lost
