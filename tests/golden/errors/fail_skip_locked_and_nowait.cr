// skip locked and nowait together (issue 11, picking rows)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
process W {
    transaction {
        let job = select id from jobs order by id limit 1 for update skip locked nowait
    }
}
