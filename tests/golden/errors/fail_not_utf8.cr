model bad
shared x = 1 // café in Latin-1
