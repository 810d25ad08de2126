// Write skew, the anomaly repeatable read does not prevent (PostgreSQL's documentation calls
// it out). Two doctors are on call and each may go off call if someone else stays on:
//   BEGIN ISOLATION LEVEL REPEATABLE READ;
//   SELECT count(*) FROM doctors WHERE on_call = 1;          -- 2: someone else is on call
//   UPDATE doctors SET on_call = 0 WHERE id = :me; COMMIT;
// Both transactions count 2 in their snapshots and update different rows, so no row lock and
// no serialization check stands in the way: both commit and nobody is on call.
// oncall_write_skew_serializable.cr runs the same code under serializable.
model oncall_write_skew
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
