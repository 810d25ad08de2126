// Issue 11 (NULL): a primary key is never null, as in PostgreSQL.
model m
table t(id key null, v) { (1, 2) }
