// Two forward transfers and one reverse, each forward retried twice on deadlock. A victim that
// was first in line for row 1, while Fwd[0] still holds it, retries and queues behind Back, which
// waited for the row before it (PostgreSQL grants Back the tuple lock when the victim rolls back;
// conformance test test_deadlock_victims_retry_queues_behind_an_earlier_waiter): until round 18
// the retry took the line again, ahead of Back, and was the victim again. The retries can still
// run out, as the trace shows: when the victim is the row's holder, its retry may lock the freed
// row before Back, the woken first waiter, does (heap_lock_tuple finds the row free), and
// deadlock with Back again.
model deadlock_victim_retry_queues_behind
runtime threads

table accounts(id key, balance) { (1, 30), (2, 30) }
ghost back_failed = 0

process Fwd[2] {
    transaction {
        update accounts set balance = balance - 10 where id = 1
        update accounts set balance = balance + 10 where id = 2
    } on failure(deadlock_detected) retry at most 2
}

process Back {
    transaction {
        update accounts set balance = balance - 10 where id = 2
        update accounts set balance = balance + 10 where id = 1
    } on failure {
        back_failed += 1
    }
}

invariant total: accounts[1].balance + accounts[2].balance == 60
final forwards_done: accounts[1].balance == 20 - 10 * back_failed
expect failure
