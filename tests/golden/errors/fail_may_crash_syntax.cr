// `may` goes with `crash` only
model m
shared n = 0
process P may fail { n += 1 }
