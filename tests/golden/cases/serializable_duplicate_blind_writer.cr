// Two serializable transactions insert the same key; neither reads the table first. PostgreSQL's
// SSI sees a late duplicate only through the writer's read of the key, so the second insert fails
// with 23505, which the handlers catch (round 12, confirmed on PostgreSQL 15).
//   BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT 1 FROM other; INSERT INTO users VALUES (1); COMMIT;
model serializable_duplicate_blind_writer
runtime threads
table users(id key) { }
table other(id key) { (1) }
process W {
    transaction isolation serializable {
        insert into users values (1)
    } on failure(unique_violation) { skip }
}
process S {
    transaction isolation serializable {
        let x = select id from other where id = 1
        insert into users values (1)
    } on failure(unique_violation) { skip }
}
final one: count(users) == 1
expect safe
