// An uncommitted version ends at commit, at rollback and when its writer crashes: the HTML
// page's state column must drop it there (it kept showing "t[1].v, uncommitted = 5" after the
// commit, and a crashed worker's version beside the next holder's lock).
model uncommitted_version_ends
table t(id key, v) { (1, 0), (2, 0) }
process A {
    transaction {
        update t set v = 5 where id = 1
    }
    transaction {
        update t set v = 6 where id = 2
        rollback
    }
    update t set v = 7 where id = 1
}
invariant never_seven: t[1].v != 7
expect violation never_seven
