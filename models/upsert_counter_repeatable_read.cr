// models/upsert_counter.cr inside a repeatable read transaction, the upsert its first statement.
// It looks as safe as at read committed, but PostgreSQL takes the snapshot as the statement
// begins, before it waits: the second request waits for the first's uncommitted row, and when
// that commits the row is newer than its snapshot, so PostgreSQL refuses to update it: 40001,
// could not serialize access due to concurrent update (its isolation test
// insert-conflict-do-nothing-2 shows the same for do nothing). Repeatable read and serializable
// transactions must be retried: add `on failure(serialization_failure) retry at most 2` after
// the block, and the counter is safe again.
//   BEGIN ISOLATION LEVEL REPEATABLE READ;
//   INSERT INTO page_views (page, views) VALUES ($1, 1)
//     ON CONFLICT (page) DO UPDATE SET views = page_views.views + excluded.views;
//   COMMIT;
model upsert_counter_repeatable_read
runtime threads

table page_views(page key, views) { }

process View[2](p = 7) {
    transaction isolation repeatable_read {
        insert into page_views values (p, 1) on conflict (page) do update set views = page_views.views + excluded.views
    }
}

final every_view_counted: page_views[7].views == 2
expect failure
