// "isolation level repeatable read": the hint names the one-word level, not its first word.
model hint_isolation_level_two_words
table t(id key, v) { (1, 0) }
process P {
    transaction isolation level repeatable read {
        update t set v = 1 where id = 1
    }
}
