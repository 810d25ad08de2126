// A deadlock is seen when its state is expanded, after part of the next level was stored: the
// reported depth is still the deadlock's, the length of its trace (2).
model deadlock_depth
runtime threads
lock a
lock b
process First {
    lock a {
        lock b {
        }
    }
}
process Second {
    lock b {
        lock a {
        }
    }
}
expect deadlock
