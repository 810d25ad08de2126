// array shapes and initializers that do not fit
model m
shared a[0] = 0
shared b[3] = {1, 2}
shared c[5..1] = 0
