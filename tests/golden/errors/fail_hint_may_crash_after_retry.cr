// The crash clauses in the wrong order.
model hint_may_crash_after_retry
shared x = 0
process P[2] on crash retry at most 2 may crash {
    x += 1
}
