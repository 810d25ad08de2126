// for update with min: PostgreSQL refuses it (0A000), as for count and sum (issue 11, aggregates;
// tests/conformance/scenarios.py, test_agg_min_max_skip_nulls_and_give_null_over_no_row)
model m
table prices(id key, price) { (1, 5) }
process W {
    transaction {
        let p = select min(price) from prices where price > 0 for no key update
    }
}
