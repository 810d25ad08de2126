// try/finally as a newcomer writes a release (round 19: the hint said "did you mean 'retry'?",
// which re-runs the body: following it would change the model's meaning).
model fail_try_finally
redis { lease }
process P[2] {
    try {
        redis.SET(lease, 1, NX)
    } finally {
        redis.DEL(lease)
    }
}
