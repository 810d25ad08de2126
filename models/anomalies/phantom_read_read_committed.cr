// Phantom read under read committed: a report counts the bookings of room 7 twice while a booking is
// inserted. Possible: the second count sees the new row.
model phantom_read_read_committed
runtime threads

table bookings(id key, room) { (1, 7) }
ghost anomalies = 0

process Book {
    insert into bookings values (2, 7)
}

process Report {
    transaction isolation read_committed {
        let first = select count(*) from bookings where room = 7
        let second = select count(*) from bookings where room = 7
        if not (first == second) {
            anomalies += 1              // the second count saw a phantom row
        }
    }
}

invariant consistent: anomalies == 0
expect violation consistent
