// Phantom read under repeatable read: a report counts the bookings of room 7 twice while a booking is
// inserted. Prevented in PostgreSQL (stricter than the SQL standard asks of repeatable read): both counts see one snapshot.
model phantom_read_repeatable_read
runtime threads

table bookings(id key, room) { (1, 7) }
ghost anomalies = 0

process Book {
    insert into bookings values (2, 7)
}

process Report {
    transaction isolation repeatable_read {
        let first = select count(*) from bookings where room = 7
        let second = select count(*) from bookings where room = 7
        if not (first == second) {
            anomalies += 1              // the second count saw a phantom row
        }
    }
}

invariant consistent: anomalies == 0
expect safe
