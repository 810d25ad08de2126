// an unknown runtime and setting
model m
runtime goroutines(workers = 2)
