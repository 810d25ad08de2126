// for key share, which racecheck does not model (issue 11: for share is modelled, for key share
// is not; without foreign keys it is rarely written by hand)
model m
table jobs(id key, state) { (1, 0) }
process W {
    transaction {
        let job = select id from jobs where id = 1 for key share
    }
}
