// From issue 11: PostgreSQL refuses FOR UPDATE with an aggregate (0A000); racecheck accepted it
// and "proved" a fix that cannot be written.
model m
table t(id key, v) { (1, 0), (2, 0) }
process P {
    transaction {
        let n = select count(*) from t where v = 0 for update
    }
}
