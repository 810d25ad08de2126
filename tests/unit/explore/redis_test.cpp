// The Redis semantics step by step (docs/semantics.md, "Redis"): atomic commands, NX and
// leases the environment may expire, scripts as one step, WATCH and MULTI/EXEC.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "fmt/format.h"

#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Check;
using testing::Compile;
using testing::Walk;
using result::Verdict;

TEST(Redis, CommandsOnPresentAndAbsentKeys) {
  ir::Program program = Compile(R"(
model m
redis { n = 5, absent }
shared end = 0
process P {
    let a = redis.GET(absent)
    let e = redis.EXISTS(absent)
    let i = redis.INCR(absent)
    let d = redis.DECRBY(n, 7)
    let gone = redis.DEL(n)
    let again = redis.DEL(n)
    end = 1                         // a last step, so the locals are still there before it
}
)");
  Walk walk(program);
  for (int i = 0; i < 6; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "a"), ir::kNull);  // an absent key reads as NULL (nil)
  EXPECT_EQ(walk.Local("P", "e"), 0);
  EXPECT_EQ(walk.Local("P", "i"), 1);  // INCR of an absent key starts at 0
  EXPECT_EQ(walk.Local("P", "d"), -2);
  EXPECT_EQ(walk.Local("P", "gone"), 1);
  EXPECT_EQ(walk.Local("P", "again"), 0);
  EXPECT_EQ(walk.Key("redis", 0, "n"), std::nullopt);
  EXPECT_EQ(walk.Key("redis", 0, "absent"), 1);
}

TEST(Redis, SetNxSetsOnlyAnAbsentKeyAndXxOnlyAPresentOne) {
  ir::Program program = Compile(R"(
model m
redis { lease }
shared end = 0
process P {
    let xx = redis.SET(lease, 9, XX)
    let first = redis.SET(lease, 1, NX)
    let second = redis.SETNX(lease, 2)
    let replaced = redis.SET(lease, 3, XX)
    end = 1
}
)");
  Walk walk(program);
  for (int i = 0; i < 4; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "xx"), 0);
  EXPECT_EQ(walk.Local("P", "first"), 1);
  EXPECT_EQ(walk.Local("P", "second"), 0);
  EXPECT_EQ(walk.Local("P", "replaced"), 1);
  EXPECT_EQ(walk.Key("redis", 0, "lease"), 3);
}

TEST(Redis, AKeyWithALeaseMayExpireAtAnyMoment) {
  ir::Program program = Compile(R"(
model m
redis { lease, plain }
process P {
    redis.SET(lease, 1, NX, PX = 30)
    redis.SET(plain, 1)
    redis.SET(lease, 2)
}
)");
  Walk walk(program);
  EXPECT_TRUE(walk.Environment().empty());
  walk.Move("P");
  std::vector<std::vector<ir::Value>> moves = walk.Environment();
  ASSERT_EQ(moves.size(), 1u);  // only the key with a lease
  walk.Move("P");
  EXPECT_EQ(walk.Environment().size(), 1u);
  walk.state() = walk.Environment()[0];
  EXPECT_EQ(walk.Key("redis", 0, "lease"), std::nullopt);
  EXPECT_EQ(walk.Key("redis", 0, "plain"), 1);
  walk.Move("P");  // SET without a time to live: no lease any more
  EXPECT_TRUE(walk.Environment().empty());
}

TEST(Redis, ALockWithALeaseIsUnsafeWhenTheWorkOutlastsIt) {
  std::string model = R"(
model m
redis { lease, balance = 100 }
ghost withdrawn = 0
process W[2](amount = 80) {
    if redis.SET(lease, self + 1, NX TTL) {
        let b = redis.GET(balance)
        if b >= amount {
            redis.SET(balance, b - amount)
            withdrawn += amount
        }
    }
}
invariant conservation: redis.balance + withdrawn == 100
)";
  std::string with_lease = model;
  with_lease.replace(with_lease.find(" TTL"), 4, ", PX = 30");
  result::Report racy = Check(Compile(with_lease));
  ASSERT_EQ(racy.verdict, Verdict::kViolation);
  EXPECT_EQ(racy.violations[0].explanation.rfind("expired lease: redis.lease ran out while W[0]", 0), 0u)
      << racy.violations[0].explanation;
  // Without a lease the lock never expires (and is never released): safe.
  std::string without = model;
  without.replace(without.find(" TTL"), 4, "");
  EXPECT_EQ(Check(Compile(without)).verdict, Verdict::kSafe);
}

TEST(Redis, AnExpiredKeyThatNamesNoHolderAndIsNeverDeletedIsNamedAMarker) {
  // Identical deliveries claim a message with a constant value: the key marks the message as
  // taken, so the explanation names an expired marker and a marker's fixes, not a lock's.
  std::string model = R"(
model m
redis { seen, done = 0 }
ghost inside = 0
process D[2] {
    if redis.SET(seen, 1, NX, PX = 30) {
        inside += 1
        redis.INCR(done)
        inside -= 1
    }
}
invariant alone: inside <= 1
)";
  result::Report marker = Check(Compile(model));
  ASSERT_EQ(marker.verdict, Verdict::kViolation);
  const std::string& text = marker.violations[0].explanation;
  EXPECT_EQ(text.rfind("expired marker: redis.seen ran out while D[0]", 0), 0u) << text;
  EXPECT_NE(text.find("idempotent"), std::string::npos) << text;
  // Deleted after the work, the same key is a lock (one whose value names nobody).
  std::string released = model;
  released.replace(released.find("        inside -= 1\n"), 20, "        inside -= 1\n        redis.DEL(seen)\n");
  result::Report lock = Check(Compile(released));
  ASSERT_EQ(lock.verdict, Verdict::kViolation);
  EXPECT_EQ(lock.violations[0].explanation.rfind("expired lease: redis.seen", 0), 0u)
      << lock.violations[0].explanation;
}

TEST(Redis, AReleaseThatDeletesAnothersLeaseIsNamed) {
  // examples/lock_release_get_del.cr: the work fits the lease, but the release (GET, compare,
  // DEL) is two round trips. Worker[0]'s lease runs out between them, Worker[1] takes the lock,
  // Worker[0] deletes it, Worker[2] takes it beside Worker[1]. Worker[0] was done with its work:
  // the deletion is the cause to name.
  std::ifstream file(std::string(RACECHECK_SOURCE_DIR) + "/examples/lock_release_get_del.cr");
  std::string model((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(model.empty());
  result::Report racy = Check(Compile(model));
  ASSERT_EQ(racy.verdict, Verdict::kViolation);
  const std::string& text = racy.violations[0].explanation;
  EXPECT_EQ(text.rfind("deleted lease: Worker[0] deleted redis.lease, which Worker[1] held by then, and Worker[2] "
                       "took it",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("redis.eval { if redis.GET(k) == mine { redis.DEL(k) } }"), std::string::npos) << text;
  // Checked and deleted in one script, the release deletes only its own lease: safe.
  const std::string release = "        if redis.GET(lease) == self + 1 {";
  size_t at = model.find(release);
  ASSERT_NE(at, std::string::npos);
  size_t end = model.find("        }\n", at) + 10;
  std::string scripted = model;
  scripted.replace(at, end - at,
                   "        redis.eval {\n            if redis.GET(lease) == self + 1 {\n                "
                   "redis.DEL(lease)\n            }\n        }\n");
  scripted.replace(scripted.find("expect violation mutual_exclusion"), 33, "expect safe");
  EXPECT_EQ(Check(Compile(scripted)).verdict, Verdict::kSafe) << scripted;
}

TEST(Redis, ASetAfterAnotherRequestsChangeIsNamedALostUpdate) {
  std::string model = R"(
model m
redis { balance = 100 }
ghost withdrawn = 0
process W[2](amount = 80) {
    let b = redis.GET(balance)
    if b >= amount {
        WRITE
        withdrawn += amount
    }
}
invariant conservation: redis.balance + withdrawn == 100
invariant no_overdraft: redis.balance >= 0
)";
  auto with_write = [&](const std::string& write) {
    std::string text = model;
    text.replace(text.find("WRITE"), 5, write);
    return Check(Compile(text));
  };
  result::Report set = with_write("redis.SET(balance, b - amount)");
  ASSERT_EQ(set.verdict, Verdict::kViolation);
  EXPECT_EQ(set.violations[0].explanation,
            "lost update: W[1] overwrote W[0]'s update of redis.balance without reading it (W[1] read 100, W[0] "
            "wrote 20, then W[1] wrote 20)\nusual fixes: one atomic command (INCRBY, DECRBY, HINCRBY); or WATCH the "
            "key, change it in MULTI/EXEC and retry when EXEC is refused; or read and write in one script "
            "(redis.eval { ... })");
  // DECRBY changes the key inside Redis: no update is lost, the balance goes below zero instead.
  result::Report decrby = with_write("redis.DECRBY(balance, amount)");
  ASSERT_EQ(decrby.verdict, Verdict::kViolation);
  EXPECT_EQ(decrby.violations[0].property, "no_overdraft");
  EXPECT_EQ(decrby.violations[0].explanation, "");
}

TEST(Redis, AScriptIsOneStep) {
  ir::Program program = Compile(R"(
model m
redis { balance = 100 }
shared end = 0
process W[2](amount = 80) {
    let paid = false
    redis.eval {
        let b = redis.GET(balance)
        if b >= amount {
            redis.DECRBY(balance, amount)
            paid = true
        }
    }
    end = 1
}
invariant never_negative: redis.balance >= 0
)");
  Walk walk(program);
  walk.Move("W[0]");  // the whole script
  EXPECT_EQ(walk.Key("redis", 0, "balance"), 20);
  EXPECT_EQ(walk.Local("W[0]", "paid"), 1);
  walk.Move("W[0]");
  EXPECT_TRUE(walk.Done("W[0]"));
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

constexpr const char* kWatch = R"(
model m
redis { n = 0 }
shared end = 0
process A {
    redis.WATCH(n)
    let v = redis.GET(n)
    let ok = redis.multi {
        redis.SET(n, v + 10)
    }
    end = 1                         // a last step, so `ok` is still there before it
}
process B {
    redis.INCR(n)
}
)";

TEST(Redis, ExecFailsWhenAWatchedKeyChanged) {
  ir::Program program = Compile(kWatch);
  Walk walk(program);
  walk.Move("A");  // WATCH
  walk.Move("A");  // GET: 0
  walk.Move("B");  // INCR: 1, after the WATCH
  walk.Move("A");  // EXEC refused
  EXPECT_EQ(walk.Local("A", "ok"), 0);
  EXPECT_EQ(walk.Key("redis", 0, "n"), 1);
}

TEST(Redis, ExecRunsWhenNoWatchedKeyChanged) {
  ir::Program program = Compile(kWatch);
  Walk walk(program);
  walk.Move("A");
  walk.Move("A");
  walk.Move("A");  // EXEC runs
  EXPECT_EQ(walk.Local("A", "ok"), 1);
  EXPECT_EQ(walk.Key("redis", 0, "n"), 10);
  walk.Move("B");
  EXPECT_EQ(walk.Key("redis", 0, "n"), 11);
}

TEST(Redis, InstancesOfAnArrayAreIndependent) {
  ir::Program program = Compile(R"(
model m
redis nodes[3] { lease }
process P {
    let i = 0
    while i < 3 {
        nodes[i].SET(lease, i + 1, NX)
        i += 1
    }
}
)");
  Walk walk(program);
  for (int i = 0; i < 3; ++i) walk.Move("P");
  EXPECT_EQ(walk.Key("nodes", 0, "lease"), 1);
  EXPECT_EQ(walk.Key("nodes", 2, "lease"), 3);
}

TEST(Redis, SetGetAnswersTheOldValueAndKeepTtlKeepsTheLease) {
  ir::Program program = Compile(R"(
model m
redis { k, lease }
shared end = 0
process P {
    let none = redis.SET(k, 1, GET)
    let one = redis.SET(k, 2, NX, GET)
    let two = redis.SET(k, 3, XX, GET)
    let missing = redis.SET(lease, 4, XX, GET)
    let absent = redis.TTL(k)
    redis.SET(lease, 5, PX = 30)
    redis.SET(lease, 6, KEEPTTL)
    redis.SET(lease, 7)
    end = 1
}
)");
  Walk walk(program);
  for (int i = 0; i < 4; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "none"), ir::kNull);
  EXPECT_EQ(walk.Local("P", "one"), 1);  // NX refused: still the old value
  EXPECT_EQ(walk.Local("P", "two"), 1);  // the NX before it did not set
  EXPECT_EQ(walk.Local("P", "missing"), ir::kNull);
  EXPECT_EQ(walk.Key("redis", 0, "k"), 3);
  EXPECT_EQ(walk.Key("redis", 0, "lease"), std::nullopt);
  walk.Move("P");
  walk.Move("P");
  EXPECT_EQ(walk.Environment().size(), 1u);
  walk.Move("P");  // KEEPTTL: the lease stays
  EXPECT_EQ(walk.Key("redis", 0, "lease"), 6);
  EXPECT_EQ(walk.Environment().size(), 1u);
  walk.Move("P");  // a plain SET drops it
  EXPECT_TRUE(walk.Environment().empty());
}

TEST(Redis, TtlAndPttlOfKeysWithoutALease) {
  ir::Program program = Compile(R"(
model m
redis { k = 5, gone }
shared end = 0
process P {
    let a = redis.TTL(k)
    let b = redis.PTTL(gone)
    redis.INCR(gone)
    let c = redis.PTTL(gone)
    end = 1
}
)");
  Walk walk(program);
  for (int i = 0; i < 4; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "a"), -1);  // present, no lease
  EXPECT_EQ(walk.Local("P", "b"), -2);  // missing
  EXPECT_EQ(walk.Local("P", "c"), -1);
}

// Lists as queues (docs/semantics.md, "Lists"): each command's result and the list after it.
TEST(Redis, ListCommandsGiveRedisResults) {
  ir::Program program = Compile(R"(
model m
redis { q: list(4) = [1, 2], other: list(2) }
shared end = 0
process P {
    let a = redis.LPUSH(q, 0)           // [0, 1, 2]
    let b = redis.RPUSH(q, 1)           // [0, 1, 2, 1]
    let c = redis.LREM(q, -1, 1)        // the last 1: [0, 1, 2]
    let d = redis.LMOVE(q, other, RIGHT, LEFT)  // 2 onto other: [0, 1] and [2]
    let e = redis.RPOPLPUSH(q, q)       // a rotation: [1, 0]
    let f = redis.LPOP(q)
    let g = redis.LPOP(q)
    let h = redis.RPOP(q)               // empty: nil
    let i = redis.EXISTS(q)             // an empty list is no key
    let j = redis.LMOVE(q, other, LEFT, LEFT)   // empty source: nil, nothing moves
    let k = redis.LLEN(other)
    end = 1
}
)");
  Walk walk(program);
  for (int i = 0; i < 11; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "a"), 3);
  EXPECT_EQ(walk.Local("P", "b"), 4);
  EXPECT_EQ(walk.Local("P", "c"), 1);
  EXPECT_EQ(walk.Local("P", "d"), 2);
  EXPECT_EQ(walk.Local("P", "e"), 1);
  EXPECT_EQ(walk.Local("P", "f"), 1);
  EXPECT_EQ(walk.Local("P", "g"), 0);
  EXPECT_EQ(walk.Local("P", "h"), ir::kNull);
  EXPECT_EQ(walk.Local("P", "i"), 0);
  EXPECT_EQ(walk.Local("P", "j"), ir::kNull);
  EXPECT_EQ(walk.Local("P", "k"), 1);
}

TEST(Redis, APushOntoAFullListIsARuntimeErrorNamingTheBound) {
  result::Report report = Check(Compile(R"(
model m
redis { q: list(1) = [7] }
process P {
    redis.RPUSH(q, 8)
}
)"));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_NE(report.violations.at(0).message.find("raise it in 'q: list(1)'"), std::string::npos);
}

TEST(Redis, ABlockingPopWaitsForAPushAndDeadlocksWithoutOne) {
  result::Report woken = Check(Compile(R"(
model m
redis { q: list(1) }
ghost got = 0
process Consumer {
    let j = redis.BLPOP(q)
    got = j
}
process Producer {
    redis.RPUSH(q, 5)
}
final received: got == 5
)"));
  EXPECT_EQ(woken.verdict, Verdict::kSafe);
  result::Report stuck = Check(Compile(R"(
model m
redis { q: list(1) }
process Consumer[2] {
    let j = redis.BRPOP(q)
}
process Producer {
    redis.RPUSH(q, 5)
}
)"));
  ASSERT_EQ(stuck.verdict, Verdict::kDeadlock);
  const result::Violation& deadlock = stuck.violations.at(0);
  EXPECT_EQ(deadlock.kind, result::ViolationKind::kDeadlock);
  ASSERT_EQ(deadlock.blocked.size(), 1u);
  EXPECT_NE(deadlock.blocked[0].find("waits for an element of redis.q, which is empty"), std::string::npos);
}

TEST(Redis, AListChangeTouchesItsWatchers) {
  result::Report report = Check(Compile(R"(
model m
redis { q: list(2), n = 0 }
ghost refused = 0
process Watcher {
    redis.WATCH(q)
    let ok = redis.multi {
        redis.INCR(n)
    }
    if not ok { refused = 1 }
}
process Pusher {
    redis.LPUSH(q, 1)
}
cover watch_refused: refused == 1
)"));
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

// Hashes (docs/semantics.md, "Hashes and sets"): each command's result and the hash after it.
TEST(Redis, HashCommandsGiveRedisResults) {
  ir::Program program = Compile(R"(
model m
redis { cart: hash(3) = {4: 1}, empty: hash(2) }
shared end = 0
process P {
    let a = redis.HSET(cart, 2, 5)       // a new field: {2: 5, 4: 1}
    let b = redis.HSET(cart, 2, 6, 9, 1) // 2 is updated, 9 added
    let c = redis.HGET(cart, 2)
    let d = redis.HGET(cart, 3)          // a missing field: nil
    let e = redis.HSETNX(cart, 4, 7)     // 4 is there: nothing
    let f = redis.HINCRBY(cart, 4, 10)
    let g = redis.HINCRBY(empty, 1, -3)  // a missing key: the field counts from 0
    let h = redis.HDEL(cart, 2, 3)       // 3 is missing
    let i = redis.HLEN(cart)
    let j = redis.HEXISTS(cart, 9)
    let k = redis.HDEL(empty, 1)         // its last field: the key goes
    let l = redis.EXISTS(empty)
    let n = redis.HGET(empty, 1)
    end = 1
}
final sizes: len(redis.cart) == 2 and hget(redis.cart, 4) == 11 and hget(redis.cart, 2) == null and contains(redis.cart, 9)
)");
  Walk walk(program);
  for (int i = 0; i < 13; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "a"), 1);
  EXPECT_EQ(walk.Local("P", "b"), 1);
  EXPECT_EQ(walk.Local("P", "c"), 6);
  EXPECT_EQ(walk.Local("P", "d"), ir::kNull);
  EXPECT_EQ(walk.Local("P", "e"), 0);
  EXPECT_EQ(walk.Local("P", "f"), 11);
  EXPECT_EQ(walk.Local("P", "g"), -3);
  EXPECT_EQ(walk.Local("P", "h"), 1);
  EXPECT_EQ(walk.Local("P", "i"), 2);
  EXPECT_EQ(walk.Local("P", "j"), 1);
  EXPECT_EQ(walk.Local("P", "k"), 1);
  EXPECT_EQ(walk.Local("P", "l"), 0);
  EXPECT_EQ(walk.Local("P", "n"), ir::kNull);
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

TEST(Redis, SetCommandsGiveRedisResults) {
  ir::Program program = Compile(R"(
model m
redis { seen: set(3) = [5, 1] }
shared end = 0
process P {
    let a = redis.SADD(seen, 3, 5)   // 5 is there: one added
    let b = redis.SISMEMBER(seen, 3)
    let c = redis.SCARD(seen)
    let d = redis.SREM(seen, 1, 7)   // 7 is missing
    let e = redis.SADD(seen, 5)
    let f = redis.SREM(seen, 3, 5)   // the last members: the key goes
    let g = redis.EXISTS(seen)
    let h = redis.SISMEMBER(seen, 5)
    end = 1
}
)");
  Walk walk(program);
  for (int i = 0; i < 8; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "a"), 1);
  EXPECT_EQ(walk.Local("P", "b"), 1);
  EXPECT_EQ(walk.Local("P", "c"), 3);
  EXPECT_EQ(walk.Local("P", "d"), 1);
  EXPECT_EQ(walk.Local("P", "e"), 0);
  EXPECT_EQ(walk.Local("P", "f"), 2);
  EXPECT_EQ(walk.Local("P", "g"), 0);
  EXPECT_EQ(walk.Local("P", "h"), 0);
}

// Members are kept in order: the same set reached two ways is one state, so `contains` and the
// states count agree whatever order the members came in.
TEST(Redis, ASetReachedInAnyOrderIsOneState) {
  result::Report report = Check(Compile(R"(
model m
redis { seen: set(2) }
process A { redis.SADD(seen, 2) }
process B { redis.SADD(seen, 1) }
final both: len(redis.seen) == 2 and contains(redis.seen, 1) and contains(redis.seen, 2)
)"));
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  // The start, {1}, {2}, and {1, 2} once.
  EXPECT_EQ(report.stats.states, 4u);
}

TEST(Redis, AnAddToAFullHashOrSetIsARuntimeErrorNamingTheBound) {
  result::Report hash = Check(Compile(R"(
model m
redis { cart: hash(1) = {1: 1} }
process P {
    redis.HSET(cart, 1, 2)
    redis.HINCRBY(cart, 2, 1)
}
)"));
  ASSERT_EQ(hash.verdict, Verdict::kViolation);
  EXPECT_NE(hash.violations.at(0).message.find("HINCRBY of cart, which already holds 1 fields"), std::string::npos);
  EXPECT_NE(hash.violations.at(0).message.find("raise it in 'cart: hash(1)'"), std::string::npos);
  result::Report set = Check(Compile(R"(
model m
redis { seen: set(1) }
process P {
    redis.SADD(seen, 1, 2)
}
)"));
  ASSERT_EQ(set.verdict, Verdict::kViolation);
  EXPECT_NE(set.violations.at(0).message.find("raise it in 'seen: set(1)'"), std::string::npos);
}

TEST(Redis, HashAndSetChangesTouchTheirWatchers) {
  for (const char* change : {"redis.HSET(k, 1, 1)", "redis.HINCRBY(k, 1, 0)", "redis.SADD(s, 1)"}) {
    result::Report report = Check(Compile(fmt::format(R"(
model m
redis {{ k: hash(1), s: set(1), n = 0 }}
ghost refused = 0
process Watcher {{
    redis.WATCH(k)
    redis.WATCH(s)
    let ok = redis.multi {{
        redis.INCR(n)
    }}
    if not ok {{ refused = 1 }}
}}
process Changer {{
    {}
}}
cover watch_refused: refused == 1
)", change)));
    EXPECT_EQ(report.verdict, Verdict::kSafe) << change;
  }
}

TEST(Redis, HashesAndSetsWorkInScriptsAndAsKeyFamilies) {
  result::Report report = Check(Compile(R"(
model m
redis { carts[2]: hash(2), seen[2]: set(1) }
process P[2] {
    redis.eval {
        let added = redis.SADD(seen[self], 1)
        if added == 1 { redis.HINCRBY(carts[self], 7, 1) }
    }
    redis.eval {
        let again = redis.SADD(seen[self], 1)
        if again == 1 { redis.HINCRBY(carts[self], 7, 1) }
    }
}
final once: hget(redis.carts[0], 7) == 1 and hget(redis.carts[1], 7) == 1
)"));
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

}  // namespace
}  // namespace racecheck::explore
