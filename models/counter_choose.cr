// A lost update on a counter: each client adds an amount the environment chooses (1, 2 or 3)
// with `counter += n`, which is a read and then a write. Two clients that read the same old
// value both write old + n, and one increment is lost. `choose` makes racecheck try every
// combination of amounts, so the verdict covers all of them.
model counter_choose
runtime threads

shared counter = 0
ghost added = 0

process Client[2] {
    choose n in 1..3
    counter += n                        // two steps: read counter, then write counter + n
    added += n                          // ghost: rides along with the write
}

invariant no_lost_update: counter == added
expect violation no_lost_update
