// A trace quotes each statement's own text, also when it ends with a message that is not
// ASCII and something else follows on its line: the quote stops at the message's last quote
// (columns count characters, not bytes).
model statement_text_not_ascii
shared x = 0
process A[2] {
    let v = x
    if v == 0 { x = v + 1 }
    assert x == 1 "déjà vu → 🙂" ; x = 5
}
