// MySQL's UPDATE ... LIMIT 1: PostgreSQL has none.
model hint_update_limit
table jobs(id key, status) { (1, 0), (2, 0) }
process W {
    update jobs set status = 1 where status = 0 limit 1
}
