// A cache stampede in Node.js: three requests miss the cache at the same time and all three
// load the value from the database, which is what the cache was meant to prevent.
//
//   const cache = new Map();
//   async function getConfig() {
//     if (!cache.has("config")) {
//       const cfg = await db.loadConfig();     // slow: the event loop runs other requests
//       cache.set("config", cfg);
//     }
//     return cache.get("config");
//   }
//
// The check and the set are on either side of an await, so every request that arrives while
// the first load is in flight also misses. The fix: cache the promise, not the value, before
// the first await (`if (!cache.has(k)) cache.set(k, db.loadConfig()); return await cache.get(k)`):
// in the model, set `cached = true` before the `await` and the invariant holds.
model cache_stampede
runtime event_loop

shared cached = false                   // the Map holds "config"
ghost db_loads = 0                      // how many times the database was queried

process Request[3] {
    if not cached {
        db_loads += 1                   // db.loadConfig() starts
        await                           // ...and the task waits for it
        cached = true
    }
}

invariant one_load: db_loads <= 1
expect violation one_load
