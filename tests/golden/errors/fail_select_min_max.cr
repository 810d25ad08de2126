// min and max in a select: misuse (issue 11, aggregates)
model m
enum Status { queued, done }
table jobs(id key, status Status, price null) { (1, 'queued', null) }
process W {
    let a = select min(*) from jobs
    let b = select avg(price) from jobs
    let c = select max(price) from jobs limit 1
    transaction {
        let d = select min(price) from jobs for update
    }
}
