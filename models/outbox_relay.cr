// The transactional outbox: a checkout commits its order and one event per item in one
// transaction; relays publish the events not yet sent, each claiming one with SKIP LOCKED.
//   -- checkout
//   BEGIN;
//   INSERT INTO orders (id) VALUES (1);
//   for item in items: INSERT INTO outbox (id, order_id, sent) VALUES (:item, 1, false);
//   COMMIT;
//   -- relay
//   BEGIN;
//   SELECT id FROM outbox WHERE NOT sent ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
//   -- publish the event --
//   UPDATE outbox SET sent = true WHERE id = :id;
//   COMMIT;
// The events are inserted in a loop, which racecheck counts as one insert, so the outbox
// declares its room: 'rows ITEMS'. No event is published twice.
model outbox_relay
runtime threads

const ITEMS = 2
table orders(id key) { }
table outbox(id key, order_id, sent) rows ITEMS { }
ghost publishes[ITEMS + 1] = 0

process Checkout {
    transaction {
        insert into orders values (1)
        let item = 1
        while item <= ITEMS {
            insert into outbox values (item, 1, 0)
            item += 1
        }
    }
}

process Relay[2] {
    transaction {
        let event = select id from outbox where sent = 0 order by id limit 1 for update skip locked
        if event != null {
            publishes[event] += 1
            update outbox set sent = 1 where id = event
        }
    }
}

invariant published_once: publishes[1] <= 1 and publishes[2] <= 1
cover both_published: publishes[1] == 1 and publishes[2] == 1
expect safe
