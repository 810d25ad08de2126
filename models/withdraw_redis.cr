// The balance lives in Redis. Each request decrements first (DECRBY is atomic) and, if the
// result is negative, puts the money back with INCRBY. Money is conserved: at the end exactly
// one $80 withdrawal went through. But between the second DECRBY and its INCRBY the balance
// is -$60, and anyone reading it then (a third request, a report, a balance check) sees an
// overdraft. The invariant never_negative catches that transient state.
model withdraw_redis
runtime threads

redis { balance = 100 }
ghost withdrawn = 0

process Withdraw[2](amount = 80) {
    let left = redis.DECRBY(balance, amount)     // one step
    if left < 0 {
        redis.INCRBY(balance, amount)            // compensate: another step
    } else {
        withdrawn += amount
    }
}

// Conservation holds once everyone has finished; in the middle it is off by the money
// taken and not yet put back, so it is a final property, not an invariant.
final conservation: redis.balance + withdrawn == 100
invariant never_negative: redis.balance >= 0
expect violation never_negative
