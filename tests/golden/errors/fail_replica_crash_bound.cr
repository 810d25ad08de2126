// a replica crash bound must be a constant from 1 to 10
model m
param K in 1..2
replica may crash at most K
shared n = 0
process P { n += 1 }
