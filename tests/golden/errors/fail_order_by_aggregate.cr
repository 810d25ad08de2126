// order by and for update on a select of count(*) (issue 11, picking rows)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
process W {
    transaction {
        let n = select count(*) from jobs order by id for update
    }
}
