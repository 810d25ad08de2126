// A serializable signup whose duplicate email comes from a read committed (autocommit) insert:
// PostgreSQL's SSI does not track the other writer, so the insert fails with 23505, which the
// handler catches; a serializable writer's duplicate would be 40001 (round 11, confirmed on
// PostgreSQL 15; tests/conformance test_serializable_duplicate_from_read_committed_...).
//   BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT count(*) FROM users; INSERT INTO users ...;
model serializable_duplicate_from_read_committed
runtime threads
table users(id key, email unique) { }
ghost taken = 0
process Other { insert into users values (1, 7) on failure(unique_violation) { skip } }
process Signup {
    transaction isolation serializable {
        let c = select count(*) from users
        insert into users values (2, 7)
    } on failure(unique_violation) { taken = 1 }
}
final one: count(users where email = 7) == 1
cover taken_reply: taken == 1
expect safe
