// an integer literal beyond 32 bits, one beyond 64 bits, and -2147483648 (NULL's representation, issue 11)
model m
shared x = 4294967296
shared y = 99999999999999999999999
shared z = -2147483648
