// A helper queues the debit inside MULTI, and the handler keeps EXEC's answer. Without WATCH,
// both requests read 100, both pass the check, and both EXECs run: the balance ends at -60.
// A fn called in a block used as a value (`let done = redis.multi { ... }`) is its body copied
// there, as anywhere else (round 13 found such a call dropped, and this model SAFE).
model fn_in_multi_value
redis { balance = 100 }
fn debit(amount) {
    redis.DECRBY(balance, amount)
}
process Withdraw[2] {
    let b = redis.GET(balance)
    if b >= 80 {
        let done = redis.multi {
            debit(80)
        }
        assert done "EXEC runs: nothing is watched"
    }
}
invariant no_overdraft: redis.balance >= 0
expect violation no_overdraft
