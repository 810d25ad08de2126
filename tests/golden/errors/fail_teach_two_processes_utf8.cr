// Two syntax errors after text that is not ASCII (é, →, 🙂): the parser starts afresh at the
// second process at the right place in the file, and the columns count characters.
model m // café
shared x = 0 // → ok
process A {
    x = = 1 // 🙂
}
process B {
    x = 1 + // é
}
invariant ok: x >= 0
