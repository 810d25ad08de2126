// oncall_write_skew.cr under serializable: PostgreSQL's serializable snapshot isolation sees
// that each doctor read a row the other then changed (two rw-antidependencies, a dangerous
// structure) and fails one doctor with a serialization failure (40001): at its update when the
// other has already committed, else at the second commit. Retried, that doctor counts one doctor
// on call and stays. The cost: one failed attempt.
model oncall_write_skew_serializable
runtime threads

table doctors(id key, on_call) { (1, 1), (2, 1) }
ghost attempts = 0

process Doctor[2](me = 1 + self) {
    transaction isolation serializable {
        attempts += 1
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    } on failure retry at most 2
}

invariant someone_on_call: doctors[1].on_call + doctors[2].on_call >= 1
cover one_goes_off_call: doctors[1].on_call + doctors[2].on_call == 1
cover retried: attempts == 3
expect safe
