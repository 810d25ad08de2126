// Check-then-act on a map guarded by a mutex, in Go. Every map access holds the lock, so the
// race detector is silent, yet two logins of the same user can both create a session: the
// check and the insert are two critical sections, and the other goroutine runs in between.
//
//   mu.Lock(); _, ok := sessions[user]; mu.Unlock()
//   if !ok {
//       s := newSession(user)
//       mu.Lock(); sessions[user] = s; mu.Unlock()
//   }
//
// The second insert overwrites the first session, and whoever holds it is logged out.
// The fix: one critical section for the check and the insert (or sync.Map's LoadOrStore).
// In the model: one `lock mu { }` block around both the check and the insert.
model session_map
runtime threads

const USERS = 2
shared session[1..USERS] = 0            // sessions[user]: 0 = none, else the session id
ghost created[1..USERS] = 0             // sessions created per user
lock mu

process Login[2](user = 1) {            // the same user logs in twice, concurrently
    let exists = false
    lock mu {
        exists = session[user] != 0
    }
    if not exists {
        lock mu {
            session[user] = self + 1    // newSession(user)
            created[user] += 1
        }
    }
}

invariant one_session_per_user: created[1] <= 1 and created[2] <= 1
cover logged_in: session[1] != 0
expect violation one_session_per_user
