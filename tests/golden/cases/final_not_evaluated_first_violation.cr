// The search stops at the first violation, before any run finished: the final was not
// evaluated, and the warning says that --all goes on past the violation.
model final_not_evaluated_first_violation
runtime threads
shared balance = 100
process Withdraw[2](amount = 80) {
    let b = balance
    if b >= amount {
        balance = b - amount
    }
}
invariant never_twenty: balance != 20
final paid_once: balance == 20
expect violation never_twenty
