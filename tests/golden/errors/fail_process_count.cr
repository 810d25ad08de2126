// instance counts must be constant and small
model m
shared n = 0
process P[n] { skip }
process Q[1000] { skip }
