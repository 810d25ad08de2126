// order by a column the table does not have (issue 11, picking rows)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
process W {
    transaction {
        let job = select id from jobs order by created desc limit 1
    }
}
