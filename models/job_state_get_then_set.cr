// Two workers pick up the same job; its state lives in Redis under a key that does not exist
// until someone claims the job (job:1:state), and each worker appends what it did to the job's
// history (job:1:history):
//   state = await redis.get('job:1:state')
//   if (state === null) {
//     await redis.set('job:1:state', 'running'); await redis.rpush('job:1:history', 'running')
//     ... run the job ...
//     await redis.set('job:1:state', 'done');    await redis.rpush('job:1:history', 'done')
//   }
// Check-then-act: both workers read null before either sets the state, and the job runs twice.
// `state: Phase` declares that the key, absent at first, holds Phase values; job_state_set_nx.cr
// claims it in one command instead.
model job_state_get_then_set
runtime threads
enum Phase { running, done }
redis { state: Phase, history: list(4) of Phase }
ghost runs = 0
process Worker[2] {
    let st = redis.GET(state)
    if st == null {
        redis.SET(state, running)
        redis.RPUSH(history, running)
        runs += 1
        redis.SET(state, done)
        redis.RPUSH(history, done)
    }
}
invariant runs_once: runs <= 1
expect violation runs_once
