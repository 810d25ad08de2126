// A count, then an insert, each its own autocommit statement: a write skew through phantoms
// whose fixes start by putting the two in one transaction (round 31: the advice was to run "the
// transaction" at serializable, where the code had none).
model autocommit_check_then_insert
table bookings(id key, seat) { }
process Book[2](guest = 1 + self) {
    let taken = select count(*) from bookings where seat = 7
    if taken == 0 {
        insert into bookings values (guest, 7)
    }
}
invariant one_per_seat: count(bookings where seat = 7) <= 1
expect violation one_per_seat
