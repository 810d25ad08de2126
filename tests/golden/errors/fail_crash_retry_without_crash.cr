// a process that never crashes has nothing to retry
model m
shared n = 0
process P on crash retry at most 2 { n += 1 }
