// an integer literal beyond 32 bits, and one beyond 64 bits
model m
shared x = 4294967296
shared y = 99999999999999999999999
