// An autocommit statement's handler under the event loop, in a request that may crash: the
// handler runs when the insert fails (round 33: the crash point after the call hid the failure
// label from the lowering, and the handler never ran; proved safe for a few hours).
model autocommit_handler_in_crashing_request
runtime event_loop
allow failure
shared taken = false
table users(id key) { (1) }
process Signup may crash {
    insert into users values (1) on failure {
        taken = true
    }
}
invariant never_taken: not taken
expect violation never_taken
