// The z3 engine on Redis models: each command, scripts and multi blocks, Redis keys in
// properties, and the runtime errors, against the explicit engine (checker/explore/redis.cpp).
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

TEST(SymbolicRedis, GetSetAndDelRaceAsTheExplicitEngineSays) {
  // Check-then-set is not atomic: both may see the key absent and both set it.
  result::Report report = Agreed(R"(
model claim
redis { owner }
ghost claims = 0
process P[2] {
    if not redis.EXISTS(owner) {
        redis.SET(owner, self + 1)
        claims += 1
    }
}
invariant one_owner: claims <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "one_owner");
  // SETNX and SET NX decide in one step; DEL frees the key for the next one.
  EXPECT_EQ(Agreed(R"(
model claim_nx
redis { owner }
ghost claims = 0
process P[2] {
    if redis.SETNX(owner, self + 1) {
        claims += 1
        redis.DEL(owner)
        claims -= 1
    }
}
invariant one_owner: claims <= 1
)").verdict, Verdict::kSafe);
  EXPECT_EQ(Agreed(R"(
model set_nx_xx
redis { k = 5 }
process P {
    let a = redis.SET(k, 7, NX)
    let b = redis.SET(k, 9, XX)
    redis.DEL(k)
    let c = redis.SET(k, 11, XX)
    let d = redis.GET(k)
    assert not a and b and not c and d == null
}
)").verdict, Verdict::kSafe);
}

// A missing key reads as NULL (nil), in code and in properties; arithmetic on it is a runtime
// error, and nil cannot be stored.
TEST(SymbolicRedis, AMissingKeyReadsNull) {
  EXPECT_EQ(Agreed(R"(
model nil
redis { lease, n = 1 }
process P {
    let a = redis.GET(lease)
    redis.DEL(n)
    let b = redis.GET(n)
    assert a == null and b is null and coalesce(b, 7) == 7
}
final gone: redis.n is null and redis.lease == null
)").verdict, Verdict::kSafe);
  result::Report arithmetic = Agreed(R"(
model nil_arithmetic
redis { lease }
process P {
    let a = redis.GET(lease)
    let b = a + 1
}
)");
  ASSERT_EQ(arithmetic.verdict, Verdict::kViolation);
  EXPECT_EQ(arithmetic.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_NE(arithmetic.violations[0].message.find("null in '+'"), std::string::npos) << arithmetic.violations[0].message;
  result::Report store = Agreed(R"(
model nil_store
redis { lease, copy }
process P {
    let a = redis.GET(lease)
    redis.SET(copy, a)
}
)");
  ASSERT_EQ(store.verdict, Verdict::kViolation);
  EXPECT_NE(store.violations.at(0).message.find("Redis cannot store nil"), std::string::npos) << store.violations[0].message;
}

// EXPIRE and PEXPIRE give a present key a lease (or delete it for a time not above 0), PERSIST
// takes the lease away, GETDEL reads and deletes; Redis 7's results.
TEST(SymbolicRedis, ExpirePersistAndGetDel) {
  EXPECT_EQ(Agreed(R"(
model results
redis { k = 5, gone }
process P {
    let a = redis.EXPIRE(gone, 10)
    let d = redis.EXPIRE(k, 0)
    let v = redis.GETDEL(k)
    redis.SET(k, 3)
    let p = redis.PERSIST(k)
    let w = redis.GETDEL(k)
    assert not a and d and v == null and not p and w == 3
}
final deleted: redis.k == null
)").verdict, Verdict::kSafe);
  // A key with a lease may expire until PERSIST takes the lease away.
  result::Report leased = Agreed(R"(
model leased
redis { k = 5 }
process P {
    let b = redis.PEXPIRE(k, 100)
    let p = redis.PERSIST(k)
    let e = redis.EXISTS(k)
    assert b and (p == e)
}
invariant kept: redis.k != null
)");
  ASSERT_EQ(leased.verdict, Verdict::kViolation);
  EXPECT_EQ(leased.violations.at(0).property, "kept");
  EXPECT_EQ(leased.violations[0].trace.size(), 2u);
  // EXPIRE changes the key for WATCH: the EXEC after it is refused.
  result::Report watched = Agreed(R"(
model watched
redis { k = 5 }
ghost refused = 0
process A {
    redis.WATCH(k)
    let v = redis.GET(k)
    let ok = redis.multi {
        redis.SET(k, v + 1)
    }
    if not ok {
        refused += 1
    }
}
process B {
    redis.EXPIRE(k, 1000)
}
invariant never_refused: refused == 0
)");
  ASSERT_EQ(watched.verdict, Verdict::kViolation);
  EXPECT_EQ(watched.violations.at(0).property, "never_refused");
}

TEST(SymbolicRedis, CountersCountFromAnAbsentKey) {
  result::Report report = Agreed(R"(
model counters
redis { hits, left = 3 }
process P[2](amount in 1..4) {
    let n = redis.INCR(hits)
    redis.DECRBY(left, amount)
    redis.INCRBY(left, 1)
    redis.DECR(hits)
}
invariant never_negative: redis.left >= 0
final counted: redis.hits == 0
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "never_negative");
}

TEST(SymbolicRedis, ScriptsAndMultiBlocksAreOneStep) {
  const char* script = R"(
model script
redis { balance = 100 }
ghost paid = 0
process P[2] {
    redis.eval {
        let b = redis.GET(balance)
        if b >= 80 {
            redis.SET(balance, b - 80)
            paid += 80
        }
    }
}
invariant conservation: redis.balance + paid == 100
)";
  EXPECT_EQ(Agreed(script).verdict, Verdict::kSafe);
  // MULTI queues its commands and runs them at EXEC: the block cannot test GET's answer (a
  // compile error, tests/golden/errors/fail_multi_uses_result.cr), but what it queues is one step.
  EXPECT_EQ(Agreed(R"(
model multi
redis { balance = 100 }
ghost paid = 0
process P[2] {
    let ok = redis.multi {
        redis.DECRBY(balance, 80)
        paid += 80
    }
}
invariant conservation: redis.balance + paid == 100
)").verdict, Verdict::kSafe);
  std::string split = script;
  split.replace(split.find("redis.eval {"), 12, "if true {");
  EXPECT_EQ(Agreed(split).verdict, Verdict::kViolation);
}

TEST(SymbolicRedis, EventLoopTasksAwaitEveryCommand) {
  // Each command is awaited: another task runs between the GET and the SET.
  result::Report report = Agreed(R"(
model event_loop_redis
runtime event_loop
redis { balance = 100 }
ghost paid = 0
process P[2] {
    let b = redis.GET(balance)
    if b >= 80 {
        redis.SET(balance, b - 80)
        paid += 80
    }
}
invariant conservation: redis.balance + paid == 100
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "conservation");
}

TEST(SymbolicRedis, InstanceArraysAndTheirRuntimeErrors) {
  EXPECT_EQ(Agreed(R"(
model nodes
redis nodes[3] { v = 1 }
process P {
    choose i in 0..3
    nodes[i].INCR(v)
}
invariant fine: nodes[0].v + nodes[1].v + nodes[2].v <= 4
)").violations.at(0).kind, ViolationKind::kRuntimeError);
  result::Report other = Agreed(R"(
model other_element
redis nodes[2] { v }
process P {
    choose i in 0..1
    nodes[0].eval {
        nodes[i].SET(v, 1)
    }
}
)");
  ASSERT_EQ(other.verdict, Verdict::kViolation);
  EXPECT_NE(other.violations.at(0).message.find("runs on one instance"), std::string::npos) << other.violations[0].message;
  result::Report overflow = Agreed(R"(
model overflow
redis { n = 2000000000 }
process P[2] {
    redis.INCRBY(n, 100000000)
}
)");
  ASSERT_EQ(overflow.verdict, Verdict::kViolation);
  EXPECT_NE(overflow.violations.at(0).message.find("outside 32 bits"), std::string::npos) << overflow.violations[0].message;
  result::Report wide = Agreed(R"(
model wide_value
redis { n }
process P {
    choose k in 0..1
    redis.SET(n, 2000000000 + k * 2000000000)
}
)");
  ASSERT_EQ(wide.verdict, Verdict::kViolation);
  EXPECT_NE(wide.violations.at(0).message.find("does not fit in 32 bits"), std::string::npos) << wide.violations[0].message;
}

TEST(SymbolicRedis, LeasesExpireAsTheEnvironmentsMove) {
  // A lock with a lease: the holder pauses, the lease runs out, the other takes the lock too.
  result::Report report = Agreed(R"(
model lease_lock
redis { holder }
ghost inside = 0
process P[2] {
    if redis.SET(holder, self + 1, NX, PX = 30) {
        inside += 1
        let mine = redis.GET(holder) == self + 1
        inside -= 1
        if mine {
            redis.DEL(holder)
        }
    }
}
invariant exclusive: inside <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const std::vector<result::Step>& trace = report.violations.at(0).trace;
  bool expired = std::any_of(trace.begin(), trace.end(), [](const result::Step& step) { return step.process == "redis"; });
  EXPECT_TRUE(expired) << "the run needs the lease to expire";
  // A plain SET drops the lease; INCR keeps it.
  EXPECT_EQ(Agreed(R"(
model plain_set
redis { k }
process P {
    redis.SET(k, 1, EX = 5)
    redis.SET(k, 2)
    redis.INCR(k)
}
final kept: redis.k == 3
)").verdict, Verdict::kSafe);
  EXPECT_EQ(Agreed(R"(
model incr_keeps
redis { k }
process P {
    redis.SET(k, 1, EX = 5)
    redis.INCR(k)
}
final kept: redis.k == 2
)").verdict, Verdict::kViolation);
  result::Report zero = Agreed("model m\nredis { k }\nprocess P {\n    redis.SET(k, 1, PX = 0)\n}\n");
  ASSERT_EQ(zero.verdict, Verdict::kViolation);
  EXPECT_NE(zero.violations.at(0).message.find("invalid expire time 0"), std::string::npos) << zero.violations[0].message;
}

TEST(SymbolicRedis, TheFirstKeyToExpireIsTheOneBreadthFirstSearchMeets) {
  result::Report report = Agreed(R"(
model two_leases
redis {
    a,
    b
}
ghost both = 0
process P {
    redis.SET(a, 1, PX = 1)
    redis.SET(b, 1, PX = 1)
    both = 1
}
invariant held: both == 0 or (redis.a == 1 and redis.b == 1)
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  // a's lease runs out first: b still holds 1.
  const std::vector<result::NamedValue>& values = report.violations.at(0).values;
  auto b = std::find_if(values.begin(), values.end(), [](const result::NamedValue& v) { return v.name == "redis.b"; });
  ASSERT_NE(b, values.end());
  EXPECT_EQ(b->value, "1");
}

TEST(SymbolicRedis, EveryKeyMayExpireWhateverTheirCount) {
  // The environment's choice of key is an index into the keys that may get a lease
  // (docs/z3-encoding.md, "Leases"): each key, the last one too, must be one it can pick,
  // whatever the count (a narrower index was tried, docs/performance.md, 2026-12-05, branch
  // z3locks). Only the last key's expiry breaks the invariant here, for three, four and five keys.
  for (int keys : {3, 4, 5}) {
    std::string decl, sets, held;
    for (int k = 0; k < keys; ++k) {
      std::string name = "k" + std::to_string(k);
      decl += (k > 0 ? ",\n    " : "    ") + name;
      sets += "    redis.SET(" + name + ", 1, PX = 1)\n";
    }
    std::string last = "k" + std::to_string(keys - 1);
    result::Report report = Agreed("model leases\nredis {\n" + decl + "\n}\nghost all = 0\nprocess P {\n" + sets +
                                   "    all = 1\n}\ninvariant held: all == 0 or redis." + last + " == 1\n");
    ASSERT_EQ(report.verdict, Verdict::kViolation) << keys << " keys";
    const std::vector<result::NamedValue>& values = report.violations.at(0).values;
    auto value = std::find_if(values.begin(), values.end(),
                              [&](const result::NamedValue& v) { return v.name == "redis." + last; });
    ASSERT_NE(value, values.end()) << keys << " keys";
    EXPECT_EQ(value->value, "null") << keys << " keys";
    // The same model with the last key never read: every run holds, the lease of every key may run out.
    EXPECT_EQ(Agreed("model leases\nredis {\n" + decl + "\n}\nghost all = 0\nprocess P {\n" + sets +
                     "    all = 1\n}\ninvariant held: all <= 1\n")
                  .verdict,
              Verdict::kSafe)
        << keys << " keys";
  }
}

TEST(SymbolicRedis, AnExpiryFromADeadlockedStateComesBeforeTheDeadlock) {
  // After the SET the instance waits for a lock it holds itself: a deadlock, but the lease may
  // still run out, and that successor is checked before the deadlock is reported.
  result::Report report = Agreed(R"(
model expiry_in_deadlock
lock mu
redis { k }
ghost stored = 0
process P {
    acquire mu
    redis.SET(k, 1, PX = 5)
    stored = 1
    acquire mu
}
invariant held: stored == 0 or redis.k == 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "held");
}

TEST(SymbolicRedis, WatchedMultiBlocksAreRefusedAfterAChange) {
  // Optimistic locking: read under WATCH, write in MULTI; a refused EXEC retries.
  const char* optimistic = R"(
model watch_retry
redis { n = 0 }
process P[2] {
    retry at most 3 {
        redis.WATCH(n)
        let v = redis.GET(n)
        let ok = redis.multi {
            redis.SET(n, v + 1)
        }
        if not ok {
            continue
        }
    }
}
final counted: redis.n == 2
)";
  EXPECT_EQ(Agreed(optimistic).verdict, Verdict::kSafe);
  // Without the WATCH the same code loses an update.
  std::string unwatched = optimistic;
  unwatched.erase(unwatched.find("        redis.WATCH(n)\n"), 23);
  result::Report lost = Agreed(unwatched);
  ASSERT_EQ(lost.verdict, Verdict::kViolation);
  EXPECT_EQ(lost.violations.at(0).property, "counted");
  // A write by the watcher itself, and an expiry, refuse EXEC too.
  EXPECT_EQ(Agreed(R"(
model watch_self_and_expiry
redis { k }
ghost refused = 0
process P {
    redis.SET(k, 1, PX = 5)
    redis.WATCH(k)
    let ok = redis.multi {
        redis.INCR(k)
    }
    if not ok {
        refused += 1
    }
    redis.WATCH(k)
    redis.INCR(k)
    let again = redis.multi {
        redis.INCR(k)
    }
    assert not again
}
invariant never_refused: refused == 0
)").verdict, Verdict::kViolation);
}

TEST(SymbolicRedis, SetGetKeepTtlAndTtlAsTheExplicitEngineSays) {
  EXPECT_EQ(Agreed(R"(
model set_get
redis { k, other }
process P {
    let none = redis.SET(k, 1, GET)
    let one = redis.SET(k, 2, NX, GET)
    let two = redis.SET(k, 3, XX, GET)
    let missing = redis.SET(other, 4, XX, GET)
    let plain = redis.TTL(k)
    let gone = redis.PTTL(other)
    assert none == null and one == 1 and two == 1 and missing == null and plain == -1 and gone == -2
}
final third: redis.k == 3 and redis.other == null
)").verdict, Verdict::kSafe);
  // KEEPTTL keeps the lease, which may then run out; a SET without it drops the lease.
  auto keep = [](const std::string& option) {
    return Agreed(R"(
model keep
redis { lease }
ghost done = 0
process P {
    redis.SET(lease, 1, PX = 30)
    redis.SET(lease, 2)" + option + R"()
    done = 1
}
invariant kept: done == 0 or redis.lease != null
)");
  };
  result::Report kept = keep(", KEEPTTL");
  ASSERT_EQ(kept.verdict, Verdict::kViolation);
  EXPECT_EQ(kept.violations.at(0).property, "kept");
  EXPECT_EQ(keep("").verdict, Verdict::kSafe);
}

// Lists: each command, LMOVE's atomicity, blocking pops and the list properties, as the
// explicit engine runs them.
TEST(SymbolicRedis, ListCommandsAgreeWithTheExplicitEngine) {
  EXPECT_EQ(Agreed(R"(
model list_results
redis { q: list(4) = [1, 2], other: list(2) }
process P {
    let a = redis.LPUSH(q, 0)
    let b = redis.RPUSH(q, 1)
    let c = redis.LREM(q, -1, 1)
    let d = redis.LMOVE(q, other, RIGHT, LEFT)
    let e = redis.RPOPLPUSH(q, q)
    let f = redis.LPOP(q)
    let h = redis.RPOP(q)
    let g = redis.RPOP(q)
    let i = redis.EXISTS(q)
    assert a == 3 and b == 4 and c == 1 and d == 2 and e == 1 and f == 1 and h == 0 and g == null and not i
}
invariant bounded: len(redis.q) + len(redis.other) <= 4
)").verdict, Verdict::kSafe);
  // A pop then a push is not a move: between the two, the job is in neither list.
  result::Report report = Agreed(R"(
model pop_then_push
redis { jobs: list(2) = [1, 2], processing: list(2) }
process Worker[2] {
    let j = redis.RPOP(jobs)
    if j != null {
        redis.LPUSH(processing, j)
    }
}
invariant kept: contains(redis.jobs, 1) or contains(redis.processing, 1)
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "kept");
  EXPECT_EQ(Agreed(R"(
model moved
redis { jobs: list(2) = [1, 2], processing: list(2) }
process Worker[2] {
    let j = redis.LMOVE(jobs, processing, RIGHT, LEFT)
}
invariant kept: contains(redis.jobs, 1) or contains(redis.processing, 1)
)").verdict, Verdict::kSafe);
}

TEST(SymbolicRedis, BlockingPopsWaitAndDeadlockAsTheExplicitEngineSays) {
  EXPECT_EQ(Agreed(R"(
model woken
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
)").verdict, Verdict::kSafe);
  result::Report report = Agreed(R"(
model stuck
redis { q: list(1), src: list(1) }
process Consumer[2] {
    let j = redis.BLMOVE(src, q, LEFT, RIGHT)
}
process Producer {
    redis.RPUSH(src, 5)
}
)");
  ASSERT_EQ(report.verdict, Verdict::kDeadlock);
  EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kDeadlock);
  // A full list: the bound is reported, never a silent drop.
  result::Report full = Agreed(R"(
model full
redis { q: list(1) = [7] }
process P {
    redis.LPUSH(q, 8)
}
)");
  ASSERT_EQ(full.verdict, Verdict::kViolation);
  EXPECT_EQ(full.violations.at(0).kind, ViolationKind::kRuntimeError);
}

// Hashes and sets: each command, the bounds, and the read-then-write race, as the explicit engine
// runs them.
TEST(SymbolicRedis, HashAndSetCommandsAgreeWithTheExplicitEngine) {
  EXPECT_EQ(Agreed(R"(
model hash_results
redis { cart: hash(3) = {4: 1}, empty: hash(2) }
process P {
    let a = redis.HSET(cart, 2, 5)
    let b = redis.HSET(cart, 2, 6, 9, 1)
    let c = redis.HGET(cart, 2)
    let d = redis.HGET(cart, 3)
    let e = redis.HSETNX(cart, 4, 7)
    let f = redis.HINCRBY(cart, 4, 10)
    let g = redis.HINCRBY(empty, 1, -3)
    let h = redis.HDEL(cart, 2, 3)
    let i = redis.HLEN(cart)
    let j = redis.HEXISTS(cart, 9)
    let k = redis.HDEL(empty, 1)
    let l = redis.EXISTS(empty)
    assert a == 1 and b == 1 and c == 6 and d == null and not e and f == 11 and g == -3 and h == 1 and i == 2
    assert j and k == 1 and not l and redis.HGET(empty, 1) == null
}
final sizes: len(redis.cart) == 2 and hget(redis.cart, 4) == 11 and hget(redis.cart, 2) == null and contains(redis.cart, 9)
)").verdict, Verdict::kSafe);
  EXPECT_EQ(Agreed(R"(
model set_results
redis { seen: set(3) = [5, 1] }
process P {
    let a = redis.SADD(seen, 3, 5)
    let b = redis.SISMEMBER(seen, 3)
    let c = redis.SCARD(seen)
    let d = redis.SREM(seen, 1, 7)
    let e = redis.SADD(seen, 5)
    let f = redis.SREM(seen, 3, 5)
    let g = redis.EXISTS(seen)
    assert a == 1 and b and c == 3 and d == 1 and e == 0 and f == 2 and not g
}
)").verdict, Verdict::kSafe);
  // Two orders of adds give one set: the property sees the same members either way.
  EXPECT_EQ(Agreed(R"(
model set_order
redis { seen: set(3) }
process P[3] {
    redis.SADD(seen, 3 - self)
}
final sorted: len(redis.seen) == 3 and contains(redis.seen, 1) and contains(redis.seen, 2) and contains(redis.seen, 3)
)").verdict, Verdict::kSafe);
  result::Report full = Agreed(R"(
model full
redis { cart: hash(1), seen: set(1) = [1] }
process P[2] {
    redis.HINCRBY(cart, self, 1)
}
)");
  ASSERT_EQ(full.verdict, Verdict::kViolation);
  EXPECT_EQ(full.violations.at(0).kind, ViolationKind::kRuntimeError);
  // HGET then HSET loses an update; HINCRBY does not.
  result::Report lost = Agreed(R"(
model lost
redis { cart: hash(2) }
process P[2] {
    let q = redis.HGET(cart, 1)
    redis.HSET(cart, 1, coalesce(q, 0) + 1)
}
final both: hget(redis.cart, 1) == 2
)");
  ASSERT_EQ(lost.verdict, Verdict::kViolation);
  EXPECT_EQ(lost.violations.at(0).property, "both");
}

}  // namespace
}  // namespace racecheck::symbolic::testing
