// Write skew through phantoms under repeatable read: two customers book room 7 for the same slot. Each
// checks that no booking exists, then inserts its own (a new row, with its own key, so no row
// lock is shared). Possible: neither snapshot holds the other's insert, and two inserts with different keys never conflict.
model phantom_skew_repeatable_read
runtime threads

table bookings(id key, room) { (1, 3) }
ghost booked = 0

process Customer[2](id = 10 + self) {
    let done = false
    transaction isolation repeatable_read {
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
expect violation one_booking
