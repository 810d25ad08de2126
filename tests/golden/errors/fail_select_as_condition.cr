// A query where a value goes: a query is a statement of its own.
model fail_select_as_condition
runtime event_loop
table users(id key, active) { (1, 1) }
process W {
    if await select active from users where id = 1 {
        skip
    }
}
