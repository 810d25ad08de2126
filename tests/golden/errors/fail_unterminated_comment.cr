// an unterminated block comment
model m
shared x = 0
/* this never ends
process P { x = 1 }
