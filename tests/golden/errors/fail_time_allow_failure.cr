// under allow failure, a failure nobody handles would end the request inside its takes block (issue 12, time)
model m
allow failure
table t(id key, v) { (1, 0) }
process P {
    takes 0..10 {
        update t set v = v + 1 where id = 1
        update t set v = v + 1 where id = 1 on failure retry at most 2
    }
}
