// a list that starts with more elements than its bound, and a bound that is no constant
model m
param n in 1..2
redis { jobs: list(2) = [1, 2, 3], more: list(n) }
process P {
    redis.DEL(jobs)
}
