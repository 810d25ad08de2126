// a failure handler cannot follow a let, whose local would be unset after the failure
model m
table users(id key, email unique) { }
process P {
    let n = insert into users values (1, 7) on failure(unique_violation) { skip }
}
