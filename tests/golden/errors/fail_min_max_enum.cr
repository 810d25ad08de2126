// min and max of an enum column: racecheck's enum values have no order (issue 11, aggregates)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued') }
process W {
    let a = select max(status) from jobs
}
