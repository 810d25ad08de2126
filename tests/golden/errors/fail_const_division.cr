// constant arithmetic that cannot be computed
model m
const A = 10 / 0
const B = 2147483647 + 1
