// Issue 11 (NULL): a NULL bound of choose is a runtime error; found by hand while adding NULL:
// the z3 engine's replay narrowed the bound with max and reported "null in 'max'" instead.
model null_choose_bound
shared x = 1
process P {
    let a = x
    a = null
    choose n in a..3
}
