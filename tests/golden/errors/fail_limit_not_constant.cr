// a limit computed while the model runs (issue 11, picking rows)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
process W {
    transaction {
        let n = 1
        let job = select id from jobs order by id limit n
    }
}
