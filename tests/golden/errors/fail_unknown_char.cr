// a character the language does not use
model m
shared x = 0
process P { x = x # 1 }
