// From issue 11: `if c then a else b` in process code, SQL and properties; only the branch
// taken is checked (big + 1 never runs), and the division runs for P[1] only after P[0] added 10.
model m
table accounts(id key, balance) { (1, 100) }
shared total = 0
process P[2] {
    let big = 2147483647
    let x = if self == 5 then big + 1 else 5
    update accounts set balance = if balance >= 60 then balance - 60 else balance where id = 1
    total += if self == 0 then 10 else 1
    let d = if total > 3 then 0 else 1 / (1 - self)
}
invariant nonneg: (if accounts[1].balance >= 0 then 1 else 0) == 1
final forty: accounts[1].balance == 40
