// A Redis hold (SET NX PX) guards a check-then-insert, untimed: the hold runs out while its
// holder works, another takes it, and both insert. The explanation names the expired hold, the
// cause, before the write skew through phantoms it let happen (round 31 found the phantoms
// named first).
model hold_expired_under_check_then_insert
redis { hold }
table bookings(id key, seat, guest) { }
process Buyer[2](guest = 1 + self) {
    if redis.SET(hold, guest, NX, PX = 30) {
        let taken = select count(*) from bookings where seat = 7
        if taken == 0 {
            insert into bookings values (guest, 7, guest)
        }
        redis.eval {
            if redis.GET(hold) == guest {
                redis.DEL(hold)
            }
        }
    }
}
invariant one_per_seat: count(bookings where seat = 7) <= 1
cover booked: count(bookings where seat = 7) == 1
expect violation one_per_seat
