// From issue 11 (named values): values are symbols. They compare with == and != against
// values of their own enum only: not with another enum, not with a number, and they are
// neither ordered nor counted.
model m
enum Status { queued, running, done }
enum Color { red, green }
shared st = queued
shared color = red
process Worker {
    if st == color { skip }
    if st != 0 { skip }
    if st < done { skip }
    let next = st + 1
    st += 1
}
invariant same: st == red
