// A property over a list's contents (contains): its violation shows the list, not its length
// (round 23: "len(redis.q) = 1" said nothing about which element was there).
model contains_shows_list
runtime threads
// A list holds tokens; the property asks contains(list, 2) (worker 1's token).
redis { q: list(3) }

process Worker[2] {
    redis.LPUSH(q, self + 1)
}

invariant w1_never_pushes: not contains(redis.q, 2)
expect violation w1_never_pushes
