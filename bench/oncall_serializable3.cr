// Benchmark (issue 15, a slow z3 case): oncall_write_skew_serializable.cr with three doctors.
// Each goes off call when it counts at least two on call; serializable snapshot isolation fails
// the attempts that would leave nobody, and they retry. Safe. The explicit engine needs a few
// hundred states; the z3 engine carries SSI's bookkeeping for every pair of the three.
model oncall_serializable3
runtime threads

table doctors(id key, on_call) { (1, 1), (2, 1), (3, 1) }
ghost attempts = 0

process Doctor[3](me = 1 + self) {
    transaction isolation serializable {
        attempts += 1
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    } on failure retry at most 4
}

invariant someone_on_call: doctors[1].on_call + doctors[2].on_call + doctors[3].on_call >= 1
cover one_left: doctors[1].on_call + doctors[2].on_call + doctors[3].on_call == 1
expect safe
