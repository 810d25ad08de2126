// Login attempts counted by upsert (issue 11: on conflict do update): the where clause stops
// counting at the limit (the statement reports 0 rows then), and the check constraint refuses a
// count past 3, which the handler sees as check_violation.
model upsert_limit_and_check
table attempts(id key, user unique, tries, check (tries <= 3)) { (1, 7, 2) }
ghost refused = 0
ghost counted = 0
process Login[2](step = 1 + self) {
    transaction {
        let n = insert into attempts values (2 + self, 7, step) on conflict (user) do update
            set tries = attempts.tries + excluded.tries where tries < 3
        counted += n
    } on failure(e) {
        if e == check_violation {
            refused += 1
        }
    }
}
final limited: attempts[1].tries <= 3
final counted_once: counted == 1
cover limit_reached_without_failure: counted == 1 and refused == 0
