// A failure that a handler without a name takes, in the request's last step: the trace shows
// the failure on the insert's step (round 30: it showed no change at all, so the second
// signup's insert seemed to do nothing for no reason).
model handled_failure_shown
table users(id key, email unique) { }
redis { signups = 0 }
process Signup[2](addr = 7) {
    transaction {
        redis.INCR(signups)
        insert into users values (1 + self, addr)
    } on failure {
        skip
    }
}
final mirror: redis.signups == count(users)
expect violation mirror
