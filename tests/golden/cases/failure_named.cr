// From issue 11: a handler that names the failure sees which one it is, and the trace shows it
// by name beside the SQLSTATE; the autocommit insert takes a handler too. The assertion is
// wrong on purpose (a duplicate signup fails 23505 under read committed), for the trace.
model m
table users(id key, name) { }
ghost duplicates = 0
process Signup[2] {
    transaction {
        insert into users values (1, self)
    } on failure(e) {
        if e == unique_violation { duplicates += 1 }
        assert e == serialization_failure "only serialization failures are expected"
    }
    insert into users values (2, self) on failure(unique_violation) { duplicates += 1 }
}
