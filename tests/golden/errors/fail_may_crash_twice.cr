// a process that may crash anywhere needs no crash points of its own
model m
shared n = 0
process P may crash {
    n += 1
    may crash
    n += 1
}
