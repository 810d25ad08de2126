// Where serializable fails a pivot that reads (issue 11, conformance
// test_ssi_read_past_a_committed_writer_by_a_transaction_with_an_edge_in_fails_at_the_read):
// Auditor reads row 1, which Mover then updates (Auditor -> Mover); Stamper updates row 2 and
// commits; Mover then reads row 2's old version (Mover -> Stamper, committed). Mover is a pivot
// whose out-neighbour committed first: PostgreSQL fails it at that select, not at its commit.
model ssi_fails_at_read
runtime threads

table pair(id key, v) { (1, 0), (2, 0) }

process Auditor {
    transaction isolation serializable {
        let a = select v from pair where id = 1
        let b = select v from pair where id = 1
    }
}

process Mover {
    transaction isolation serializable {
        update pair set v = 1 where id = 1
        let seen = select v from pair where id = 2
    }
}

process Stamper {
    transaction isolation serializable {
        update pair set v = 2 where id = 2
    }
}

expect failure
