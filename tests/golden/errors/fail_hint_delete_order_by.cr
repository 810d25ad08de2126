// DELETE ... ORDER BY: PostgreSQL has none.
model hint_delete_order_by
table jobs(id key, status) { (1, 0), (2, 0) }
process W {
    delete from jobs where status = 0 order by id
}
