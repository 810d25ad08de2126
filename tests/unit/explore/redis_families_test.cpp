// Key families (docs/semantics.md, "Key families"): `hits[USERS] = 0` declares one key per index,
// each its own key in the state; `hits[u]` names one in commands and properties.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Check;
using testing::Compile;
using testing::Walk;
using result::Verdict;

TEST(RedisFamilies, EveryMemberStartsAsDeclaredAndChangesAlone) {
  ir::Program program = Compile(R"(
model m
const USERS = 3
redis { hits[USERS] = 5, lease[1..2], inbox[2]: list(3) = [7] }
shared end = 0
process P {
    let u = 1
    let a = redis.INCR(hits[u])
    let b = redis.SET(lease[u + 1], 9, NX)
    let c = redis.RPUSH(inbox[u], 8)
    let d = redis.LMOVE(inbox[0], inbox[u], LEFT, RIGHT)
    let e = redis.LLEN(inbox[0])
    end = 1
}
)");
  ASSERT_EQ(program.redis.at(0).keys.size(), 3u + 2u + 2u);  // flat: one key per member
  Walk walk(program);
  for (int i = 0; i < 5; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "a"), 6);
  EXPECT_EQ(walk.Key("redis", 0, "hits[0]"), 5);
  EXPECT_EQ(walk.Key("redis", 0, "hits[1]"), 6);
  EXPECT_EQ(walk.Key("redis", 0, "hits[2]"), 5);
  EXPECT_EQ(walk.Local("P", "b"), 1);
  EXPECT_EQ(walk.Key("redis", 0, "lease[1]"), std::nullopt);
  EXPECT_EQ(walk.Key("redis", 0, "lease[2]"), 9);
  EXPECT_EQ(walk.Local("P", "c"), 2);  // inbox[1] started as [7]
  EXPECT_EQ(walk.Local("P", "d"), 7);  // moved from inbox[0] onto inbox[1]
  EXPECT_EQ(walk.Local("P", "e"), 0);
}

TEST(RedisFamilies, AnIndexOutsideTheFamilyIsARuntimeErrorNamingIt) {
  result::Report report = Check(Compile(R"(
model m
redis { hits[1..2] = 0 }
process P {
    choose u in 1..3
    redis.INCR(hits[u])
}
)"));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_NE(report.violations.at(0).message.find("index 3 is outside Redis key family hits[1..2]"), std::string::npos)
      << report.violations[0].message;
  // In a property too.
  result::Report property = Check(Compile(R"(
model m
param J in 0..2
redis { lease[2] }
process P {
    redis.SET(lease[0], 1)
}
invariant free: redis.lease[J] is null or redis.lease[J] == 1
)"));
  ASSERT_EQ(property.verdict, Verdict::kViolation);
  EXPECT_NE(property.violations.at(0).message.find("outside Redis key family lease[0..1]"), std::string::npos)
      << property.violations[0].message;
}

TEST(RedisFamilies, FamiliesOfInstanceArraysAndWatchesOfOneMember) {
  ir::Program program = Compile(R"(
model m
redis nodes[2] { lease[2] }
process P {
    let i = 0
    while i < 2 {
        nodes[i].SET(lease[1 - i], i + 1, NX)
        i += 1
    }
}
)");
  Walk walk(program);
  for (int i = 0; i < 2; ++i) walk.Move("P");
  EXPECT_EQ(walk.Key("nodes", 0, "lease[1]"), 1);
  EXPECT_EQ(walk.Key("nodes", 0, "lease[0]"), std::nullopt);
  EXPECT_EQ(walk.Key("nodes", 1, "lease[0]"), 2);
  // A WATCH of one member is refused by a change of that member only.
  const char* kWatch = R"(
model m
redis { n[2] = 0 }
shared end = 0
process A {
    redis.WATCH(n[0])
    let ok = redis.multi {
        redis.INCR(n[0])
    }
    end = 1                         // a last step, so the locals are still there before it
}
process B {
    redis.INCR(n[K])
}
)";
  for (int changed = 0; changed < 2; ++changed) {
    std::string text = kWatch;
    text.replace(text.find('K'), 1, std::to_string(changed));
    ir::Program watched = Compile(text);
    Walk steps(watched);
    steps.Move("A");  // WATCH
    steps.Move("B");
    steps.Move("A");  // EXEC
    EXPECT_EQ(steps.Local("A", "ok"), changed == 0 ? 0 : 1) << changed;
  }
}

TEST(RedisFamilies, AMemberLeaseExpiresAlone) {
  result::Report report = Check(Compile(R"(
model m
redis { lease[2] }
process P[2] {
    redis.SET(lease[self], 1, PX = 30)
}
final both: redis.lease[0] == 1 and redis.lease[1] == 1
)"));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  std::string expiries;
  for (const result::Step& step : report.violations.at(0).trace) {
    if (step.statement.find("expires") != std::string::npos) expiries += step.statement + ";";
  }
  EXPECT_TRUE(expiries == "lease[0] expires;" || expiries == "lease[1] expires;") << expiries;
}

}  // namespace
}  // namespace racecheck::explore
