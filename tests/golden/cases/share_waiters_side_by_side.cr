// Two `for share` requests wait for a row another transaction holds exclusively: in PostgreSQL
// both take the tuple lock (share modes do not conflict) and wait for the holder side by side,
// so Reader, which waits for nothing but the holder, is in no cycle and never the deadlock
// detector's victim (conformance test test_share_waiters_wait_side_by_side). Until round 19 the
// second sharer queued behind the first, and a cycle Holder -> Second -> Reader -> Holder made
// Reader a victim: a false unhandled 40P01.
model share_waiters_side_by_side
runtime threads

table items(id key, v) { (1, 0), (2, 0) }
ghost handled = 0

process Holder {
    transaction {
        let a = select v from items where id = 1 for update
        update items set v = 1 where id = 2
    } on failure {
        handled += 1
    }
}

process Reader {
    transaction {
        let a = select v from items where id = 1 for share
    }
}

process Second {
    transaction {
        let b = select v from items where id = 2 for update
        let a = select v from items where id = 1 for share
    } on failure {
        handled += 1
    }
}

cover a_deadlock_victim: handled == 1
expect safe
