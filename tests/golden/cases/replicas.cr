// An in-memory lock protects one server process but not two: with two replicas each has
// its own mutex and its own copy of in-process memory, so the shared store (a ghost here,
// standing for the database) sees both requests.
model replicas
runtime event_loop(replicas = 2)
shared reserved = 0
ghost sold = 0
lock mu
process Reserve[2] {
    lock mu {
        let r = reserved
        await
        if r == 0 {
            reserved = 1
            sold += 1
        }
    }
}
invariant one_sale: sold <= 1
expect violation one_sale
