// A final check written without its name.
model m
shared x = 0
process W { x = 1 }
final x == 1
