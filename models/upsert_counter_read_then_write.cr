// The page view counter of models/upsert_counter.cr written as a read, then an insert or an
// update: two first views both find no row, both insert it, and the second fails on the key.
//   BEGIN;
//   SELECT views FROM page_views WHERE page = $1;
//   -- no row:  INSERT INTO page_views (page, views) VALUES ($1, 1);
//   -- a row:   UPDATE page_views SET views = $2 + 1 WHERE page = $1;
//   COMMIT;
model upsert_counter_read_then_write
runtime threads

table page_views(page key, views) { }

process View[2](p = 7) {
    transaction {
        let v = select views from page_views where page = p
        if v == null {
            insert into page_views values (p, 1)
        } else {
            update page_views set views = v + 1 where page = p
        }
    }
}

final every_view_counted: page_views[7].views == 2
expect failure
