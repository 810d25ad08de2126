// coalesce in a select list: select the column, then coalesce the local.
model hint_select_coalesce
table jobs(id key, owner null) { (1, null) }
process P {
    let o = select coalesce(owner, 0) from jobs where id = 1
}
