// Real workers pass a timeout to a blocking pop; racecheck's wait for as long as it takes
model m
runtime threads
redis { q: list(2) = [1], p: list(2) }
process W {
    let j = redis.BLPOP(q, 5)
    let k = redis.BLMOVE(q, p, RIGHT, LEFT, 5)
}
