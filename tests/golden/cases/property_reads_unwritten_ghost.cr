// A withdrawal that forgot to count what it paid out: the invariant reads `withdrawn`, which no
// request writes, so it holds in every state whatever the requests do, and the double spend the
// model has (two reads of 100) passes unseen. racecheck warns at the property.
model property_reads_unwritten_ghost
shared balance = 100
ghost withdrawn = 0
process Withdraw[2] {
    let b = balance
    if b >= 80 {
        balance = b - 80
    }
}
invariant no_double_spend: withdrawn <= 100
expect safe
