// A page view counter kept in one statement: the first request inserts the row, every later one
// adds to it. The insert that meets the row waits for the transaction writing it, locks it, then
// updates the committed row, so no view is lost and no request fails on the duplicate key.
//   INSERT INTO page_views (page, views) VALUES ($1, 1)
//     ON CONFLICT (page) DO UPDATE SET views = page_views.views + excluded.views;
// models/upsert_counter_read_then_write.cr is the same counter read first, then written.
model upsert_counter
runtime threads

table page_views(page key, views) { }

process View[3](p = 7) {
    insert into page_views values (p, 1) on conflict (page) do update set views = page_views.views + excluded.views
}

final every_view_counted: page_views[7].views == 3
expect safe
