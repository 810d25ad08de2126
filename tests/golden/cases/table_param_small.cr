// Issue 11 (params in table rows): a table cell from a param in a range small enough for the
// explicit engine, which tries every value as it does for a shared variable, while the z3
// engine checks them all at once: the read-then-write withdrawal overdraws only when the
// balance covers one withdrawal and not two.
model table_param_small
runtime threads

param START in 50..130
table accounts(id key, balance) { (1, START), (2, START + 1) }

process Withdraw[2] {
    let b = select balance from accounts where id = 1
    if b >= 60 {
        update accounts set balance = balance - 60 where id = 1
    }
}

invariant no_overdraft: accounts[1].balance >= 0
invariant other_row: accounts[2].balance == START + 1
expect violation no_overdraft
