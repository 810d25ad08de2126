// Double booking in a ticketing service: two customers try to book seat 7 at the same time.
// The handler checks the seat is free, then books it, in two SQL statements:
//
//   SELECT holder FROM seats WHERE seat = 7;                 -- 0: free
//   UPDATE seats SET holder = :customer WHERE seat = 7;
//
// Both read 0, both update, both get a confirmation e-mail, and the second update silently
// replaces the first customer. The fix: let the update check the condition itself, and look
// at the number of rows it changed:
//
//   let n = update seats set holder = customer where seat = 7 and holder = 0
//   if n == 1 { confirmed += 1 }
model double_booking
runtime threads

table seats(seat key, holder) { (7, 0) }
ghost confirmed = 0                     // confirmation e-mails sent

process Book[2](customer = 100 + self) {
    let taken_by = select holder from seats where seat = 7
    if taken_by == 0 {
        update seats set holder = customer where seat = 7
        confirmed += 1
    }
}

invariant one_confirmation: confirmed <= 1
cover booked: seats[7].holder != 0
expect violation one_confirmation
