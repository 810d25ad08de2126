// A Node.js login handler that sends the welcome email once, it thinks:
//   if (!(await redis.exists(`welcomed:${user}`))) {
//     await redis.set(`welcomed:${user}`, 1);
//     await sendWelcomeEmail(user);
//   }
// Two logins of a new user (two tabs, a retried request) both ask before either sets the key:
// each `await` lets the other handler run, so both see no key and both send the email. The fix
// asks and sets in one command: `if await redis.SET(welcomed, 1, NX) { ... }`, which only one
// of them wins.
model welcome_once_event_loop
runtime event_loop

redis { welcomed }
ghost emails = 0

process Login[2] {
    if not await redis.EXISTS(welcomed) {
        await redis.SET(welcomed, 1)
        emails += 1
    }
}

invariant one_email: emails <= 1
expect violation one_email
