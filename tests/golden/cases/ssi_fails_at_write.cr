// Where serializable fails the write skew (issue 11, conformance test_ssi_*): both doctors count
// who is on call, Doctor[0] goes off call and commits, then Doctor[1]'s update makes it a pivot
// whose out-neighbour (Doctor[0]) has committed. PostgreSQL fails that UPDATE at once with 40001
// (OnConflict_CheckForSerializationFailure: "Canceled on identification as a pivot, during
// write"), not the later COMMIT. Nothing handles the failure, so the shortest run shows it: it
// ends at the update.
model ssi_fails_at_write
runtime threads

table doctors(id key, on_call) { (1, 1), (2, 1) }

process Doctor[2](me = 1 + self) {
    transaction isolation serializable {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    }
}

invariant someone_on_call: doctors[1].on_call + doctors[2].on_call >= 1
expect failure
