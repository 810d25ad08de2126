// Signup with no unique index on email: the handler looks the email up and inserts the account
// when nobody has it. Under read committed two signups with the same email both find it free
// (neither sees the other's uncommitted row) and both insert: two accounts for one email.
//   BEGIN;
//   SELECT count(*) FROM users WHERE email = $1;          -- 0: free
//   INSERT INTO users (id, email) VALUES ($2, $1);
//   COMMIT;
// The fix is the database's: a unique constraint on email (signup_unique.cr). The property is
// the query an operator would run on the table:
//   SELECT count(*) FROM users WHERE email = 7;          -- at most 1
model signup_check_then_insert
runtime threads

table users(id key, email) { }

process Signup[2](address = 7) {
    transaction {
        let taken = select count(*) from users where email = address
        if taken == 0 {
            insert into users values (1 + self, address)
        }
    }
}

invariant one_account_per_email: count(users where email = 7) <= 1
expect violation one_account_per_email
