// The Redis withdraw done right: a Lua script (EVAL) runs inside Redis with nothing else in
// between, so the check and the decrement are one atomic step and the balance never goes
// negative, even for a moment.
//   local b = tonumber(redis.call('GET', KEYS[1]))
//   if b >= tonumber(ARGV[1]) then redis.call('DECRBY', KEYS[1], ARGV[1]); return 1 end
//   return 0
model withdraw_redis_script
runtime threads

redis { balance = 100 }
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let paid = false
    redis.eval {                                 // the whole script: one step
        let b = redis.GET(balance)
        if b >= amount {
            redis.DECRBY(balance, amount)
            paid = true
        }
    }
    if paid {
        withdrawn += amount                     // rides along with the script's step
    }
}

invariant never_negative: redis.balance >= 0
invariant conservation: redis.balance + withdrawn == 100
cover one_withdrawal: withdrawn == 80
expect safe
