// Write skew under read committed: two doctors on call each go off call if the other stays on.
// Possible: each doctor counts two doctors on call and goes off call.
model write_skew_read_committed
runtime threads

table doctors(id key, on_call) { (1, 1), (2, 1) }

process Doctor[2](me = 1 + self) {
    transaction isolation read_committed {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    }
}

invariant someone_on_call: doctors[1].on_call + doctors[2].on_call >= 1
expect violation someone_on_call
