// A keyword as a property name: the error says so.
model m
shared x = 0
process P {
    x = 1
}
final order: x == 1
