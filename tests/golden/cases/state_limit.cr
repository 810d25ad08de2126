// racecheck-args: --max-states 100
// Exit code 3: a limit ends a large search as inconclusive, never as safe.
model state_limit
const N = 6
shared counter = 0
process Inc[N] {
    let i = 0
    while i < 3 {
        counter += 1
        i = i + 1
    }
}
final bounded: counter <= 3 * N
expect safe
