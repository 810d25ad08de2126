// 'on failure' handles database errors: it follows a transaction or a SQL statement
model m
lock mu
shared x = 0
process P {
    lock mu { x += 1 } on failure retry at most 2
}
