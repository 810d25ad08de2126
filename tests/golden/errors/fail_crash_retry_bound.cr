// a crash retry bound must be a constant from 0 to 1000
model m
param K in 1..2
shared n = 0
process P may crash on crash retry at most K { n += 1 }
process Q may crash on crash retry at most -1 { n += 1 }
