// Issue 11 (for loops over rows): a for loop runs SQL, so an atomic block cannot hold it; break
// and continue inside it work as in while, but not across a lock block.
model m
table cart(id key, qty) { (1, 2), (2, 3) }
lock mu
process P {
    atomic {
        for r in select id from cart order by id {
            skip
        }
    }
    for r in select id, qty from cart order by id {
        if r.qty > 2 {
            break
        }
        lock mu {
            continue
        }
    }
}
