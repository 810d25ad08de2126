// Under the event loop a ghost update inside a synchronous run is no point where a request
// may die (round 33: a crash before the ghost split a += 1 from b += 1, a false alarm).
model ghost_in_synchronous_run
runtime event_loop
shared a = 0
shared b = 0
ghost done = 0
process P may crash {
    a += 1
    done += 1
    b += 1
}
final same: a == b
cover finished: b == 1
expect safe
