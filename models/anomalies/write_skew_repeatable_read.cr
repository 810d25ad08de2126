// Write skew under repeatable read: two doctors on call each go off call if the other stays on.
// Possible: the snapshots hide each other's updates, and the two updates touch different rows, so nothing conflicts.
model write_skew_repeatable_read
runtime threads

table doctors(id key, on_call) { (1, 1), (2, 1) }

process Doctor[2](me = 1 + self) {
    transaction isolation repeatable_read {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    }
}

invariant someone_on_call: doctors[1].on_call + doctors[2].on_call >= 1
expect violation someone_on_call
