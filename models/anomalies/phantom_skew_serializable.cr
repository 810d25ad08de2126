// Write skew through phantoms under serializable: two customers book room 7 for the same slot. Each
// checks that no booking exists, then inserts its own (a new row, with its own key, so no row
// lock is shared). Prevented: each transaction's search covered the row the other inserted, so serializable snapshot isolation fails one commit (40001); that request reports the error (allow failure).
model phantom_skew_serializable
runtime threads

table bookings(id key, room) { (1, 3) }
ghost booked = 0
allow failure
process Customer[2](id = 10 + self) {
    let done = false
    transaction isolation serializable {
        let n = select count(*) from bookings where room = 7
        if n == 0 {
            insert into bookings values (id, 7)
            done = true
        }
    }
    if done {
        booked += 1
    }
}

invariant one_booking: booked <= 1
expect safe
