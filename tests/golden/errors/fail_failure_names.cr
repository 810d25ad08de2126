// From issue 11: the names of database failures belong to the language, and `on failure(...)`
// takes failures, or one new name before a block.
model m
enum Outcome { ok, unique_violation }
table users(id key, name) { }
process Signup {
    let deadlock_detected = 1
    insert into users values (1, self) on failure(e) retry at most 3
    insert into users values (1, self) on failure(unique_violation, oops) { skip }
    insert into users values (1, self) on failure(unique_violation, unique_violation) { skip }
}
