// The z3 engine on key families (`hits[USERS]`, `hits[u]`), against the explicit engine: each
// member is a key of its own, chosen by an ite over the indices it may be (docs/z3-encoding.md).
#include <gtest/gtest.h>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

TEST(SymbolicRedisFamilies, PerUserCountersRaceOnlyWithinAUser) {
  // GET then SET per user: two requests of one user both pass; other users are untouched.
  result::Report report = Agreed(R"(
model per_user
const USERS = 2
redis { hits[USERS] }
ghost passed[USERS] = 0
process Request[2](user in 0..USERS - 1) {
    let count = coalesce(redis.GET(hits[user]), 0)
    if count < 1 {
        redis.SET(hits[user], count + 1)
        passed[user] += 1
    }
}
invariant within_limit: passed[0] <= 1 and passed[1] <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  // INCR first, then compare: each user's counter counts every request.
  EXPECT_EQ(Agreed(R"(
model per_user_incr
const USERS = 2
redis { hits[USERS] = 0 }
ghost passed[USERS] = 0
process Request[3](user in 0..USERS - 1) {
    if redis.INCR(hits[user]) <= 1 {
        passed[user] += 1
    }
}
invariant within_limit: passed[0] <= 1 and passed[1] <= 1
final counted: redis.hits[0] + redis.hits[1] == 3
)").verdict, Verdict::kSafe);
}

TEST(SymbolicRedisFamilies, ListsLeasesAndPropertiesOfMembers) {
  EXPECT_EQ(Agreed(R"(
model members
param J in 0..1
redis { inbox[2]: list(2) = [5], lease[1..2], n[2] = 1 }
process P {
    choose i in 0..1
    let moved = redis.RPOPLPUSH(inbox[i], inbox[1 - i])
    redis.SET(lease[i + 1], self + 1, NX, PX = 30)
    redis.eval {
        redis.INCRBY(n[J], 2)
        redis.DECR(n[1 - J])
    }
    assert moved == 5
}
invariant sizes: len(redis.inbox[0]) + len(redis.inbox[1]) == 2
invariant five: contains(redis.inbox[0], 5) or contains(redis.inbox[1], 5)
invariant leases: redis.lease[1] is null or has_ttl(redis.lease[1])
final total: redis.n[0] + redis.n[1] == 3
)").verdict, Verdict::kSafe);
  // The lease of one member may run out while the other's holds.
  result::Report expired = Agreed(R"(
model member_expires
redis { lease[2] }
process P[2] {
    redis.SET(lease[self], 1, PX = 30)
}
final both: redis.lease[0] == 1 and redis.lease[1] == 1
)");
  ASSERT_EQ(expired.verdict, Verdict::kViolation);
}

TEST(SymbolicRedisFamilies, MultiBlocksWatchesAndBlockingPopsOnMembers) {
  EXPECT_EQ(Agreed(R"(
model watched_member
redis { n[2] = 0 }
ghost done = 0
process A {
    redis.WATCH(n[0])
    let v = redis.GET(n[0])
    let ok = redis.multi {
        redis.SET(n[0], v + 10)
    }
    if ok { done = 1 }
}
process B {
    redis.INCR(n[1])
}
final ran: done == 1 and redis.n[0] == 10
)").verdict, Verdict::kSafe);
  result::Report waits = Agreed(R"(
model blocking_member
redis { q[2]: list(1) }
process Consumer {
    let v = redis.BLPOP(q[1])
}
process Producer {
    redis.RPUSH(q[0], 1)
}
)");
  EXPECT_EQ(waits.verdict, Verdict::kDeadlock);
}

TEST(SymbolicRedisFamilies, FamiliesOfInstanceArrays) {
  // Element and member both chosen at run time: an ite over both.
  result::Report report = Agreed(R"(
model nodes_members
redis nodes[2] { lease[2] }
ghost held = 0
process P[2] {
    choose i in 0..1
    if nodes[i].SET(lease[self], self + 1, NX) {
        held += 1
    }
}
invariant apart: held <= 2
final taken: nodes[0].lease[0] != null or nodes[1].lease[0] != null
final one: nodes[0].lease[1] == null or nodes[1].lease[1] == null
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicRedisFamilies, IndicesOutsideTheFamilyAreRuntimeErrors) {
  result::Report command = Agreed(R"(
model outside
redis { hits[1..2] = 0 }
process P {
    choose u in 1..3
    redis.INCR(hits[u])
}
)");
  ASSERT_EQ(command.verdict, Verdict::kViolation);
  EXPECT_EQ(command.violations.at(0).kind, ViolationKind::kRuntimeError);
  result::Report move = Agreed(R"(
model outside_move
redis { q[2]: list(2) = [1] }
process P {
    choose t in 0..2
    redis.LMOVE(q[0], q[t], LEFT, RIGHT)
}
)");
  ASSERT_EQ(move.verdict, Verdict::kViolation);
  EXPECT_EQ(move.violations.at(0).kind, ViolationKind::kRuntimeError);
  result::Report property = Agreed(R"(
model outside_property
param J in 0..2
redis { lease[2] }
process P {
    redis.SET(lease[0], 1)
}
invariant free: redis.lease[J] is null or redis.lease[J] == 1
)");
  ASSERT_EQ(property.verdict, Verdict::kViolation);
  EXPECT_EQ(property.violations.at(0).kind, ViolationKind::kRuntimeError);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
