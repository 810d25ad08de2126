// Write skew under serializable: two doctors on call each go off call if the other stays on.
// Prevented: serializable snapshot isolation sees the two rw-antidependencies and fails one commit (40001); that request reports the error (allow failure).
model write_skew_serializable
runtime threads

table doctors(id key, on_call) { (1, 1), (2, 1) }
allow failure
process Doctor[2](me = 1 + self) {
    transaction isolation serializable {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    }
}

invariant someone_on_call: doctors[1].on_call + doctors[2].on_call >= 1
expect safe
