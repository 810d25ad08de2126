// signup_check_then_insert.cr with a unique constraint on email. The check still races, but
// the second insert waits for the first signup's transaction and, when it commits, fails with
// 23505; the handler turns that into "this email is taken".
//   CREATE TABLE users (id int PRIMARY KEY, email int UNIQUE);
//   BEGIN;
//   SELECT count(*) FROM users WHERE email = $1;
//   INSERT INTO users (id, email) VALUES ($2, $1);        -- may raise unique_violation
//   COMMIT;
//   -- except unique_violation: return 409 "email taken"
model signup_unique
runtime threads

table users(id key, email unique) { }
ghost taken_replies = 0

process Signup[2](address = 7) {
    transaction {
        let taken = select count(*) from users where email = address
        if taken == 0 {
            insert into users values (1 + self, address)
        }
    } on failure {
        taken_replies += 1
    }
}

invariant one_account_per_email: count(users where email = 7) <= 1
// Once both signups are done, exactly one account holds the email.
final one_account: count(users) == 1 and exists(users where email = 7)
cover refused_by_the_constraint: taken_replies == 1
expect safe
