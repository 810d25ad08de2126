// a replica crash bound must be a constant from 1 to 10
model m
replica may crash at most 0
shared n = 0
process P { n += 1 }
