// job_state_get_then_set.cr fixed: the worker claims the job by creating its state key in one
// command, which only one worker can do:
//   if (await redis.set('job:1:state', 'running', 'NX')) { ... }
// The key starts absent and holds Phase values (`state: Phase`); the loser sees SET NX fail
// and leaves the job alone, so the job runs once and its history reads running, done.
model job_state_set_nx
runtime threads
enum Phase { running, done }
redis { state: Phase, history: list(4) of Phase }
ghost runs = 0
process Worker[2] {
    if redis.SET(state, running, NX) {
        redis.RPUSH(history, running)
        runs += 1
        redis.SET(state, done)
        redis.RPUSH(history, done)
    }
}
invariant runs_once: runs <= 1
final finished: redis.state == done and len(redis.history) == 2
expect safe
