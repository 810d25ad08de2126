// Exit code 1: a violation in a model that declares no expectation.
model no_expectation
shared x = 0
process Inc[2] { x += 1 }
final both_counted: x == 2
