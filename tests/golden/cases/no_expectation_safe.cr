// Exit code 0: a safe model without an expectation.
model no_expectation_safe
shared x = 0
lock mu
process Inc[2] { lock mu { x += 1 } }
final both_counted: x == 2
