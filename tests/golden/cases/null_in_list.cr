// A null in an in-list: the comparison with it is unknown, so it matches nothing (a warning says
// so, and that not in with a null is never true). Round 11 found the warning spoke of ==.
model null_in_list
runtime threads
table accounts(id key, balance, owner null) { (1, 100, null), (2, 50, 3) }
ghost found = 0
process P {
    let c = select count(*) from accounts where owner in (3, null)
    found = c
}
final only_owner_3: found == 1
expect safe
