// racecheck-args: --all
// Every run breaks the invariant before both withdrawals finish, and a run ends where an
// invariant breaks: the final is never evaluated, and the cover never reached. Both warn.
model final_never_evaluated
runtime threads
shared balance = 100
shared started = 0
process Withdraw[2](amount = 80) {
    atomic {
        started = started + 1
    }
    let b = balance
    if b >= amount {
        balance = b - amount
    }
}
invariant one_at_a_time: started <= 1
final paid_once: balance == 20
cover overdrawn: balance < 0
expect violation one_at_a_time, overdrawn
