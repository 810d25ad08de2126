// select ... limit 0: a limit must be at least 1 (issue 11, picking rows)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
process W {
    transaction {
        let job = select id from jobs order by id limit 0
    }
}
