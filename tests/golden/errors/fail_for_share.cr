// for share, which racecheck does not model yet (issue 11, picking rows)
model m
enum Status { queued, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
process W {
    transaction {
        let job = select id from jobs where id = 1 for share
    }
}
