// Lost update under repeatable read: two increments of a counter, each reading the value and writing
// value + 1 computed in the handler. Prevented: the second update meets a row changed after its snapshot and fails with a serialization failure (40001); the request reports the error (allow failure), and no increment is lost.
model lost_update_repeatable_read
runtime threads

table counters(id key, n) { (1, 0) }
ghost increments = 0
allow failure
process Increment[2] {
    let done = false
    transaction isolation repeatable_read {
        let x = select n from counters where id = 1
        update counters set n = x + 1 where id = 1
        done = true
    }
    if done {
        increments += 1
    }
}

final none_lost: counters[1].n == increments
expect safe
