// Benchmark: dining philosophers with N seats, each eating ROUNDS times. The last
// philosopher picks up the forks in the other order, so there is no deadlock and the whole
// state space is explored. Scales with --set N=.
model philosophers
const N = 4
const ROUNDS = 1
lock fork[N]
ghost meals = 0

process Philosopher[N] {
    let round = 0
    while round < ROUNDS {
        if self == N - 1 {
            acquire fork[0]
            acquire fork[self]
        } else {
            acquire fork[self]
            acquire fork[self + 1]
        }
        meals += 1
        if self == N - 1 {
            release fork[self]
            release fork[0]
        } else {
            release fork[self + 1]
            release fork[self]
        }
        round = round + 1
    }
}

final everyone_ate: meals == N * ROUNDS
expect safe
