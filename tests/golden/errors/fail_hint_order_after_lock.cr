// 'order by' written after the row lock: PostgreSQL's order is order by, limit, for update.
model hint_order_after_lock
table jobs(id key, v) { (1, 0) }
process P {
    transaction {
        let j = select id from jobs for update skip locked order by id limit 1
    }
}
