// Symmetry with tokens self + c (docs/semantics.md, "Symmetry"): which uses the analysis accepts
// and why it refuses the others, how the representative renames token values, and that the
// search with it finds what the search without it finds.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "checker/explore/replay.h"
#include "checker/explore/symmetry.h"
#include "checker/ir/symmetry.h"
#include "fmt/format.h"
#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Compile;
using testing::LocalIndex;
using testing::Walk;
using testing::ScheduleOf;
using Names = std::vector<std::string>;

// A lease per request, released by compare-and-delete: the token is copied into Redis, read
// back and compared with ==.
constexpr const char* kLease = R"(
model m
redis { lease }
shared inside = 0
process W[3] {
    if redis.SET(lease, self + 1, NX, PX = 30) {
        inside += 1
        inside -= 1
        redis.eval {
            if redis.GET(lease) == self + 1 {
                redis.DEL(lease)
            }
        }
    }
}
invariant one: inside <= 1
final free: redis.lease is null or has_ttl(redis.lease)
)";

TEST(SymmetryTokens, ALeaseTokenIsAccepted) {
  ir::Program program = Compile(kLease);
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  EXPECT_EQ(analysis.reasons, Names{""});
  ASSERT_EQ(analysis.groups.size(), 1u);
  const ir::SymmetryTokens& tokens = analysis.groups[0].tokens;
  EXPECT_TRUE(tokens.any);
  EXPECT_EQ(tokens.base, 1);
  // The lease's value slot (counted while the key is present), and the hidden local the
  // script reads the lease into, in each of the three blocks.
  int32_t slot = program.redis[0].KeySlot(0, 0);
  ASSERT_EQ(tokens.slots.size(), 4u);
  EXPECT_EQ(tokens.slots[0], (ir::TokenSlot{slot, slot + 1}));
  ASSERT_EQ(tokens.block_offsets.size(), 1u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(tokens.slots[1 + i], (ir::TokenSlot{program.instances[i].base_slot + tokens.block_offsets[0], -1}));
  }
}

// The pc table (ir::AssignedAt) of a local of the first process, in the one group FindSymmetry
// found; null when it keeps none for it.
std::shared_ptr<const std::vector<char>> PcsOf(const ir::SymmetryAnalysis& analysis, const ir::Program& program,
                                               const std::string& local) {
  const auto& offset_pcs = analysis.groups[0].tokens.offset_pcs;
  auto found = offset_pcs.find(1 + LocalIndex(program.processes[0], local));
  return found == offset_pcs.end() ? nullptr : found->second;
}

TEST(SymmetryTokens, SelfItselfInALocalIsATokenOnlyAfterItsLet) {
  // c = 0: instance 0's token is the 0 every local starts with. `mine` names an instance only
  // at the pcs after its let (ir::AssignedAt), not at pc 0 nor once finished (kDonePc).
  ir::Program program = Compile(R"(
model m
shared owner = 99
process W[2] {
    let mine = self
    owner = mine
    owner = 99
})");
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  ASSERT_EQ(analysis.reasons, Names{""});
  ASSERT_EQ(analysis.groups.size(), 1u);
  const ir::SymmetryTokens& tokens = analysis.groups[0].tokens;
  EXPECT_EQ(tokens.base, 0);
  const ir::Process& process = program.processes[0];
  int32_t mine = LocalIndex(process, "mine");
  std::shared_ptr<const std::vector<char>> pcs = PcsOf(analysis, program, "mine");
  ASSERT_NE(pcs, nullptr);
  const std::vector<char>& at = *pcs;
  ASSERT_EQ(at.size(), process.code.size());
  EXPECT_EQ(at[0], ir::kZeroHere);
  int writes = 0;
  for (size_t pc = 0; pc < process.code.size(); ++pc) {
    if (process.code[pc].op != ir::Op::kWrite) continue;
    EXPECT_EQ(at[pc], ir::kAssignedHere) << pc;
    ++writes;
  }
  EXPECT_EQ(writes, 2);
  for (const ir::Instance& inst : program.instances) {
    auto slot = std::find_if(tokens.slots.begin(), tokens.slots.end(),
                             [&](const ir::TokenSlot& t) { return t.slot == inst.base_slot + 1 + mine; });
    ASSERT_NE(slot, tokens.slots.end());
    EXPECT_EQ(slot->pc_slot, inst.base_slot);
    EXPECT_EQ(slot->at_pcs, pcs);
  }
}

// `self` itself (c = 0) in a local declared inside an `if` or a loop: after the `if`, and at the
// loop's head, some paths have run its let and others not. There it is out of its scope, its
// value dead (ir::kDeadHere), and the representative clears it.
// `block` is `if` or `while`.
std::string LetInside(const std::string& block) {
  return R"(
model m
shared owner = 99
ghost wins = 0
process W[3] {
    )" + block + R"( owner == 99 {
        let mine = self
        owner = mine
    }
    if owner == self { wins += 1 }
}
invariant one: wins <= 1
)";
}

TEST(SymmetryTokens, ALocalOutOfItsScopeIsDead) {
  for (const char* block : {"if", "while"}) {
    SCOPED_TRACE(block);
    ir::Program program = Compile(LetInside(block));
    ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
    ASSERT_EQ(analysis.reasons, Names{""});
    ASSERT_EQ(analysis.groups.size(), 1u);
    const ir::Process& process = program.processes[0];
    std::shared_ptr<const std::vector<char>> pcs = PcsOf(analysis, program, "mine");
    ASSERT_NE(pcs, nullptr);
    const std::vector<char>& at = *pcs;
    // pc 0 is the loop's head, reached from the start and from the end of its body.
    EXPECT_EQ(at[0], std::string(block) == "if" ? ir::kZeroHere : ir::kDeadHere);
    // The write `owner = mine` holds it; the last read of owner (`if owner == self`) is past its
    // scope, reached from inside the block and around it.
    size_t write = 0, last_read = 0;
    for (size_t pc = 0; pc < process.code.size(); ++pc) {
      if (process.code[pc].op == ir::Op::kWrite && write == 0) write = pc;
      if (process.code[pc].op == ir::Op::kRead) last_read = pc;
    }
    EXPECT_EQ(at[write], ir::kAssignedHere);
    EXPECT_EQ(at[last_read], ir::kDeadHere);
  }
}

TEST(SymmetryTokens, SelfItselfThroughAFnIsATokenOnlyAfterTheCall) {
  // A fn's inlined copies (`take.who`, its parameter: a let at the call) start at 0 as every
  // local does, instance 0's token when c = 0; like a declared local, the copy names an instance
  // only at the pcs after the let that the call makes.
  ir::Program program = Compile(R"(
model m
shared owner = 99
fn take(who) {
    owner = who
    let now = owner
    return now == who
}
process W[2] {
    let ok = take(self)
    owner = 99
})");
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  ASSERT_EQ(analysis.reasons, Names{""});
  ASSERT_EQ(analysis.groups.size(), 1u);
  const ir::SymmetryTokens& tokens = analysis.groups[0].tokens;
  EXPECT_EQ(tokens.base, 0);
  const ir::Process& process = program.processes[0];
  // After the call, at the shared write `owner = 99`, the copies still hold their values.
  size_t last_write = 0;
  for (size_t pc = 0; pc < process.code.size(); ++pc) {
    if (process.code[pc].op == ir::Op::kWrite) last_write = pc;
  }
  for (const char* name : {"take.who", "take.now"}) {
    SCOPED_TRACE(name);
    std::shared_ptr<const std::vector<char>> pcs = PcsOf(analysis, program, name);
    ASSERT_NE(pcs, nullptr);
    EXPECT_EQ((*pcs)[0], ir::kZeroHere);
    EXPECT_EQ((*pcs)[last_write], ir::kAssignedHere);
  }
}

TEST(SymmetryTokens, TokensInLocalsVariablesAndOtherProcesses) {
  // Copied through a fn's parameter, a local, a shared variable; another process writes a
  // constant outside 1..2 (10) and compares the slot with it; 0 means free.
  ir::Program program = Compile(R"(
model m
redis { lease }
shared owner = 0
lock mu
fn take(token) {
    return redis.SET(lease, token, NX)
}
process W[2] {
    let mine = self + 1
    let ok = take(mine)
    lock mu {
        if owner == 0 { owner = mine }
    }
    let held = redis.GET(lease)
    if held == mine { redis.DEL(lease) }
}
process Admin {
    let ok = take(10)
    lock mu {
        if owner != 10 and owner != 0 { owner = 0 }
    }
}
invariant i: owner != 10
)");
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  EXPECT_EQ(analysis.reasons, (Names{"", "one instance"}));
  ASSERT_EQ(analysis.groups.size(), 1u);
  const ir::SymmetryTokens& tokens = analysis.groups[0].tokens;
  EXPECT_EQ(tokens.base, 1);
  // owner, the lease, and locals of W (mine, held, take's token) and of Admin (take's token).
  EXPECT_TRUE(std::any_of(tokens.slots.begin(), tokens.slots.end(),
                          [&](const ir::TokenSlot& s) { return s.slot == program.vars[0].first_slot; }));
  EXPECT_GE(tokens.block_offsets.size(), 2u);
}

// One model per refusal, each a small change of a token use that is accepted.
struct Refusal {
  const char* reason;
  const char* text;
};

const Refusal kRefusals[] = {
    {"a token is used in arithmetic", R"(
model m
redis { lease }
process W[2] {
    let t = self + 1
    redis.SET(lease, t * 2)
})"},
    {"a token is used in arithmetic", R"(
model m
redis { lease }
process W[2] { redis.SET(lease, self + 1, NX) }
process Other { redis.INCR(lease) }
)"},
    {"a token is compared with <, <=, > or >=", R"(
model m
redis { lease }
shared x = 0
process W[2] {
    redis.SET(lease, self + 1, NX)
    let v = redis.GET(lease)
    if v is not null and v < 2 { x = 1 }
})"},
    {"a token is used as an index", R"(
model m
shared slot[2] = 0
process W[2] { slot[self] = 1 }
)"},
    {"a token is used as an index", R"(
model m
table jobs(id key, worker) { (10, 0) }
process W[2] {
    insert into jobs (id, worker) values (self + 1, 0)
})"},
    {"a token is compared with <, <=, > or >=", R"(
model m
table jobs(id key, worker null) { (1, null), (2, null) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
    let first = select id from jobs order by worker limit 1
})"},
    {"a token is compared with <, <=, > or >=", R"(
model m
table jobs(id key, worker null) { (1, null) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
    let top = select max(worker) from jobs
})"},
    {"a token is used in arithmetic", R"(
model m
table jobs(id key, worker null) { (1, null) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
}
invariant i: sum(jobs.worker) != 7
)"},
    {"a token is used in arithmetic", R"(
model m
table jobs(id key, worker) { (1, 0) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
    update jobs set worker = worker + 1 where id = 1
})"},
    {"a slot that may hold a token may hold a constant in the token range", R"(
model m
table jobs(id key, worker) { (1, 2) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
})"},
    {"a token is compared with a constant in the token range", R"(
model m
table jobs(id key, worker null) { (1, null) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
}
invariant i: jobs[1].worker != 2
)"},
    {"a token reaches a Redis set", R"(
model m
table jobs(id key, worker null) { (1, null) }
redis { seen: set(2) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
    let w = select worker from jobs where id = 1
    redis.SADD(seen, w)
})"},
    {"a token reaches a Redis set", R"(
model m
redis { seen: set(2) }
process W[2] { redis.SADD(seen, self + 1) }
)"},
    {"a token is used as an index", R"(
model m
redis { owner: hash(2) }
process W[2] { redis.HSET(owner, self + 1, 1) }
)"},
    {"a token is used in arithmetic", R"(
model m
redis { owner: hash(2) }
process W[2] {
    redis.HSET(owner, 1, self + 1)
    redis.HINCRBY(owner, 1, 1)
})"},
    {"a token is compared with a constant in the token range", R"(
model m
redis { queue: list(2) }
process W[2] {
    redis.RPUSH(queue, self + 1)
    redis.LREM(queue, 0, 2)
})"},
    {"a slot that may hold a token may hold a constant in the token range", R"(
model m
redis { queue: list(3) }
process W[2] { redis.RPUSH(queue, self) }
)"},
    {"a token is compared with a value that may be neither a token nor a constant", R"(
model m
redis { lease }
shared x = 0
process W[2](guess in 1..2) {
    redis.SET(lease, self + 1, NX)
    if redis.GET(lease) == guess { x = 1 }
})"},
    {"a token is compared with a constant in the token range", R"(
model m
redis { lease }
shared x = 0
process W[2] {
    redis.SET(lease, self + 1, NX)
    if redis.GET(lease) == 1 { x = 1 }
})"},
    {"a token is compared with a constant in the token range", R"(
model m
redis { lease }
process W[2] { redis.SET(lease, self + 1, NX) }
invariant i: redis.lease != 2
)"},
    {"a token is compared with <, <=, > or >=", R"(
model m
redis { lease }
process W[2] { redis.SET(lease, self + 1, NX) }
invariant i: redis.lease is null or redis.lease <= 2
)"},
    {"a slot that may hold a token may also hold other values", R"(
model m
redis { lease }
process W[2](amount in 1..3) {
    redis.SET(lease, self + 1, NX)
    redis.SET(lease, amount)
})"},
    {"a slot that may hold a token may hold a constant in the token range", R"(
model m
shared owner = 0
process W[2] { owner = self }
)"},
    {"a slot that may hold a token may hold a constant in the token range", R"(
model m
redis { lease }
process W[2] { redis.SET(lease, self + 1, NX) }
process Other { redis.SET(lease, 2) }
)"},
    {"its code makes tokens self + c with different constants c", R"(
model m
redis { lease, other }
process W[2] {
    redis.SET(lease, self + 1, NX)
    redis.SET(other, self + 2, NX)
})"},
};

TEST(SymmetryTokens, TokensInATableColumn) {
  // A worker id written into a column, read back and compared: every copy of the column's
  // values is a token slot, each counted while its row version exists.
  ir::Program program = Compile(R"(
model m
table jobs(id key, owner null) { (1, null), (2, null) }
process W[3] {
    transaction isolation repeatable_read {
        let o = select owner from jobs where id = 1
        if o is null { update jobs set owner = self + 1 where id = 1 }
    }
}
invariant i: jobs[1].owner is null or jobs[2].owner is null
)");
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  ASSERT_EQ(analysis.reasons, Names{""});
  ASSERT_EQ(analysis.groups.size(), 1u);
  const ir::SymmetryTokens& tokens = analysis.groups[0].tokens;
  EXPECT_EQ(tokens.base, 1);
  const ir::Table& table = program.tables[0];
  auto has = [&](ir::TokenSlot slot) {
    return std::find(tokens.slots.begin(), tokens.slots.end(), slot) != tokens.slots.end();
  };
  for (int32_t r = 0; r < table.capacity; ++r) {
    EXPECT_TRUE(has({table.ValueSlot(r, 1), table.ExistsSlot(r)})) << r;
    EXPECT_TRUE(has({table.PendingValueSlot(r, 1), table.PendingExistsSlot(r)})) << r;
    EXPECT_FALSE(has({table.ValueSlot(r, 0), table.ExistsSlot(r)})) << r;  // the key holds none
    // Each instance's repeatable-read snapshot of the row: [exists, id, owner].
    const ir::ProcessDb& db = program.processes[0].db;
    ASSERT_GE(db.snapshot[0], 0);
    int32_t offset = db.snapshot[0] + r * 3;
    for (const ir::Instance& inst : program.instances) {
      EXPECT_TRUE(has({inst.base_slot + offset + 2, inst.base_slot + offset})) << r;
    }
    EXPECT_NE(std::find(tokens.block_offsets.begin(), tokens.block_offsets.end(), offset + 2), tokens.block_offsets.end());
  }
}

TEST(SymmetryTokens, TokensInAListAndAHashsValues) {
  // Workers push their id onto a list, move it to another and remove it by value; a hash maps a
  // job to its worker. Every element slot of the lists and every value slot of the hash is a
  // token slot; the hash's fields are not.
  ir::Program program = Compile(R"(
model m
redis { queue: list(3), busy: list(3), owner: hash(2) }
process W[3] {
    redis.RPUSH(queue, self + 1)
    let mine = redis.LMOVE(queue, busy, LEFT, RIGHT)
    redis.HSET(owner, 1, self + 1)
    if redis.HGET(owner, 1) == self + 1 {
        redis.LREM(busy, 1, self + 1)
    }
}
final empty: not contains(redis.busy, 9)
)");
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  ASSERT_EQ(analysis.reasons, Names{""});
  ASSERT_EQ(analysis.groups.size(), 1u);
  const ir::SymmetryTokens& tokens = analysis.groups[0].tokens;
  auto has = [&](int32_t slot) {
    return std::find(tokens.slots.begin(), tokens.slots.end(), ir::TokenSlot{slot, -1}) != tokens.slots.end();
  };
  const ir::RedisDecl& redis = program.redis[0];
  for (int32_t k : {0, 1}) {  // queue, busy: [length | e0 e1 e2]
    int32_t slot = redis.KeySlot(0, k);
    EXPECT_FALSE(has(slot)) << k;
    for (int32_t i = 0; i < 3; ++i) EXPECT_TRUE(has(slot + 1 + i)) << k << " " << i;
  }
  int32_t hash = redis.KeySlot(0, 2);  // [count | f0 v0 f1 v1]
  EXPECT_TRUE(has(hash + 2));
  EXPECT_TRUE(has(hash + 4));
  EXPECT_FALSE(has(hash + 1));
  EXPECT_FALSE(has(hash + 3));
}

TEST(SymmetryTokens, EachRefusalSaysWhy) {
  for (const Refusal& refusal : kRefusals) {
    ir::Program program = Compile(refusal.text);
    ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
    EXPECT_EQ(analysis.reasons.at(0), refusal.reason) << refusal.text;
    EXPECT_TRUE(analysis.groups.empty()) << refusal.text;
  }
}

TEST(SymmetryTokens, EachRefusalSaysWhere) {
  // The report names the line that showed the reason: a statement, the process declaration
  // (its parameters), a property; none for a location that may hold other values, as no one
  // line makes it so.
  struct Case {
    const char* reason;
    int32_t line;
    const char* text;
  };
  const Case cases[] = {
      {"a token is used as an index", 5, R"(
model m
shared slot[2] = 0
process W[2] {
    slot[self] = 1
})"},
      {"a token is used in arithmetic", 5, R"(
model m
shared x = 0
process W[2](amount = 10 + self) {
    x = x + amount
})"},
      {"a token is used in arithmetic", 4, R"(
model m
shared x = 0
process W[2](n = 10 * (self + 1)) {
    x = n
})"},
      {"a token is compared with <, <=, > or >=", 7, R"(
model m
shared owner = 0
process W[2] {
    owner = self + 1
}
invariant p: owner < 3
)"},
      {"a slot that may hold a token may also hold other values", 0, R"(
model m
shared owner = 0
shared k = 0
process W[2] {
    owner = self + 1
    k = k + 1
    owner = k
})"},
  };
  for (const Case& c : cases) {
    ir::SymmetryAnalysis analysis = ir::FindSymmetry(Compile(c.text));
    EXPECT_EQ(analysis.reasons.at(0), c.reason) << c.text;
    EXPECT_EQ(analysis.reason_lines.at(0), c.line) << c.text;
    EXPECT_EQ(analysis.names.at(0), "W[0..1]") << c.text;
  }
}

TEST(SymmetryTokens, ATokenAsAConditionIsRefused) {
  // The front end lets no int be a condition; the analysis refuses one all the same: the
  // branch on `ok` made a branch on the token `t`.
  ir::Program program = Compile(R"(
model m
redis { lease }
process W[2] {
    let t = self + 1
    let ok = true
    if ok { redis.SET(lease, t, NX) }
})");
  ir::Process& process = program.processes[0];
  ASSERT_EQ(ir::FindSymmetry(program).reasons, Names{""});
  bool changed = false;
  for (ir::Instr& instr : process.code) {
    if (instr.op != ir::Op::kBranchFalse) continue;
    ir::Expr t;
    t.op = ir::ExprOp::kLocal;
    t.index = LocalIndex(process, "t");
    program.exprs.push_back(t);
    instr.expr = static_cast<int32_t>(program.exprs.size()) - 1;
    changed = true;
  }
  ASSERT_TRUE(changed);
  EXPECT_EQ(ir::FindSymmetry(program).reasons, Names{"a token is used as a condition"});
}

// ---------------------------------------------------------------------------
// The representative

std::vector<ir::Value> Normal(Symmetry& symmetry, const std::vector<ir::Value>& state,
                              std::vector<int32_t>* perm = nullptr) {
  std::vector<ir::Value> out(state.size());
  symmetry.Normalise(state.data(), out.data(), perm);
  return out;
}

// Every state `state` may be renamed into (all permutations of a group of 3).
std::vector<std::vector<ir::Value>> Orbit(const Symmetry& symmetry, const std::vector<ir::Value>& state) {
  std::vector<std::vector<ir::Value>> orbit;
  std::vector<int32_t> p = {0, 1, 2};
  do {
    std::vector<ir::Value> renamed(state.size());
    symmetry.Apply(state.data(), p, renamed.data());
    orbit.push_back(renamed);
  } while (std::next_permutation(p.begin(), p.end()));
  return orbit;
}

TEST(SymmetryTokensNormalise, RenamesTheLeaseWithItsHolder) {
  ir::Program program = Compile(kLease);
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  int32_t lease = program.redis[0].KeySlot(0, 0);
  Walk walk(program);
  walk.Move("W[0]");  // W[0] takes the lease: value 1
  ASSERT_EQ(walk.state()[lease], 1);
  ASSERT_EQ(walk.state()[lease + 1], 1);
  std::vector<int32_t> perm;
  std::vector<ir::Value> normal = Normal(symmetry, walk.state(), &perm);
  // W[0] moved past the two at pc 0: it goes last, and the lease names it there.
  EXPECT_EQ(perm[0], 2);
  EXPECT_EQ(normal[lease], 3);
  std::vector<ir::Value> applied(normal.size());
  symmetry.Apply(walk.state().data(), perm, applied.data());
  EXPECT_EQ(applied, normal);
  // Every renaming of the state (the holder any of the three) has this representative.
  for (const std::vector<ir::Value>& renamed : Orbit(symmetry, walk.state())) {
    EXPECT_EQ(Normal(symmetry, renamed), normal);
  }
}

TEST(SymmetryTokensNormalise, EqualBlocksTakeTheOrderOfTheirTokens) {
  // Both finished (equal blocks): only `last` tells which wrote it last.
  ir::Program program = Compile(R"(
model m
shared last = 0
process W[3] { last = self + 1 }
)");
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  int32_t last = program.vars[0].first_slot;
  Walk walk(program);
  walk.Move("W[2]");
  walk.Move("W[0]");
  walk.Move("W[1]");
  ASSERT_EQ(walk.state()[last], 2);
  std::vector<ir::Value> normal = Normal(symmetry, walk.state());
  EXPECT_EQ(normal[last], 1);
  for (const std::vector<ir::Value>& renamed : Orbit(symmetry, walk.state())) {
    EXPECT_EQ(Normal(symmetry, renamed), normal);
  }
}

TEST(SymmetryTokensNormalise, OwnAndOtherTokensInBlocks) {
  // Each instance keeps its own token and a copy of the lease's: the copy is another's token
  // in one block and the own one in the other; the representative renames both.
  ir::Program program = Compile(R"(
model m
redis { lease }
process W[3] {
    let mine = self + 1
    redis.SET(lease, mine, NX)
    let seen = redis.GET(lease)
    let again = redis.GET(lease)
}
)");
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  ASSERT_EQ(analysis.reasons, Names{""});
  Symmetry symmetry(program, analysis.groups);
  Walk walk(program);
  walk.Move("W[1]");  // mine = 2, SET: the lease is 2
  walk.Move("W[2]");  // mine = 3, SET fails
  walk.Move("W[2]");  // seen = 2
  walk.Move("W[1]");  // seen = 2
  std::vector<ir::Value> normal = Normal(symmetry, walk.state());
  for (const std::vector<ir::Value>& renamed : Orbit(symmetry, walk.state())) {
    EXPECT_EQ(Normal(symmetry, renamed), normal);
  }
  // In the representative, the lease names the instance whose `seen` is its own `mine`.
  int32_t lease = program.redis[0].KeySlot(0, 0);
  const ir::Process& process = program.processes[0];
  int32_t mine = LocalIndex(process, "mine");
  int holders = 0;
  for (const ir::Instance& inst : program.instances) {
    const ir::Value* locals = normal.data() + inst.base_slot + 1;
    if (locals[mine] == normal[lease]) {
      ++holders;
      EXPECT_EQ(locals[LocalIndex(process, "seen")], normal[lease]);
    }
    EXPECT_TRUE(locals[mine] == 0 || locals[mine] == inst.self + 1);
  }
  EXPECT_EQ(holders, 1);
}

// ---------------------------------------------------------------------------
// The search with and without it

result::Report SearchWith(const ir::Program& program, bool symmetry, bool all) {
  SearchOptions options;
  options.symmetry = symmetry;
  options.all = all;
  return Search(program, options);
}

// The reduced search finds what the full one finds, with fewer states, as long traces, and
// runs that replay as the model numbers its instances.
void ExpectSameFindings(const std::string& text, bool replay) {
  ir::Program program = Compile(text);
  result::Report reduced = SearchWith(program, true, /*all=*/true);
  result::Report full = SearchWith(program, false, /*all=*/true);
  EXPECT_FALSE(reduced.symmetry.empty()) << text;
  EXPECT_EQ(reduced.verdict, full.verdict) << text;
  EXPECT_LT(reduced.stats.states, full.stats.states) << text;
  EXPECT_EQ(reduced.stats.depth, full.stats.depth) << text;
  ASSERT_EQ(reduced.violations.size(), full.violations.size()) << text;
  for (size_t v = 0; v < full.violations.size(); ++v) {
    const result::Violation& a = reduced.violations[v];
    EXPECT_EQ(a.kind, full.violations[v].kind) << text;
    EXPECT_EQ(a.property, full.violations[v].property) << text;
    EXPECT_EQ(a.trace.size(), full.violations[v].trace.size()) << text;
    if (!replay || a.trace.empty()) continue;
    ReplayResult replayed = Replay(program, ScheduleOf(program, a.trace));
    EXPECT_EQ(replayed.problem, "") << text;
    ASSERT_TRUE(replayed.violation.has_value()) << text;
    EXPECT_EQ(replayed.violation->property, a.property) << text;
    ASSERT_EQ(replayed.violation->trace.size(), a.trace.size()) << text;
    for (size_t k = 0; k < a.trace.size(); ++k) {
      EXPECT_EQ(replayed.violation->trace[k].process, a.trace[k].process) << k;
      EXPECT_EQ(replayed.violation->trace[k].statement, a.trace[k].statement) << k;
    }
  }
}

TEST(SymmetryTokensSearch, LeaseUntimed) { ExpectSameFindings(kLease, /*replay=*/false); }

TEST(SymmetryTokensSearch, WorkersInAListAndAHash) {
  // Each worker registers in a list and claims the job in a hash, check-then-set: two may both
  // see it free. The one that finds its own id there deregisters by value.
  ExpectSameFindings(R"(
model m
redis { live: list(3), owner: hash(1) }
ghost runs = 0
process W[3] {
    redis.RPUSH(live, self + 1)
    if redis.HGET(owner, 7) == null {
        redis.HSET(owner, 7, self + 1)
        if redis.HGET(owner, 7) == self + 1 {
            runs += 1
            redis.LREM(live, 1, self + 1)
        }
    }
}
invariant once: runs <= 1
final deregistered: hget(redis.owner, 7) is null or not contains(redis.live, hget(redis.owner, 7))
)",
                     /*replay=*/true);
}

TEST(SymmetryTokensSearch, ClaimByWorkerIdInAColumn) {
  // Check then claim: two workers both see the job free, and both find their own id in the
  // row when they read it back.
  ExpectSameFindings(R"(
model m
table jobs(id key, owner null) { (1, null) }
ghost runs = 0
process W[3] {
    let o = select owner from jobs where id = 1
    if o is null {
        update jobs set owner = self + 1 where id = 1
        let back = select owner from jobs where id = 1
        if back == self + 1 { runs += 1 }
    }
}
invariant once: runs <= 1
final claimed: jobs[1].owner is not null
)",
                     /*replay=*/true);
}

TEST(SymmetryTokensSearch, SkipLockedClaimsWithReturning) {
  // Each worker claims the first free job it can lock, under its id; the row it changed comes
  // back with returning, and the properties count the jobs by owner.
  ExpectSameFindings(R"(
model m
table jobs(id key, owner null) { (1, null), (2, null) }
ghost wrong = 0
process W[3] {
    transaction {
        let job = select id from jobs where owner is null order by id limit 1 for update skip locked
        if job != null {
            let who = update jobs set owner = self + 1 where id = job returning owner
            if who != self + 1 { wrong += 1 }
        }
    }
}
invariant right: wrong == 0
final both: count(jobs where owner is null) == 0
)",
                     /*replay=*/true);
}

TEST(SymmetryTokensSearch, RepeatableReadSnapshotsHoldTokens) {
  // Snapshots keep other workers' ids; a retried serialization failure reads them again.
  ExpectSameFindings(R"(
model m
table jobs(id key, owner null) { (1, null), (2, null) }
ghost taken = 0
process W[3] {
    transaction isolation repeatable_read {
        let o = select owner from jobs where id = 1
        if o is null {
            update jobs set owner = self + 1 where id = 1
            taken += 1
        } else {
            let again = select owner from jobs where id = 1
            if again == o { update jobs set owner = o where id = 2 }
        }
    } on failure retry at most 1
}
invariant copied: jobs[2].owner is null or jobs[2].owner == jobs[1].owner
)",
                     /*replay=*/true);
}

TEST(SymmetryTokensSearch, TimedLeaseWithAPause) {
  ExpectSameFindings(R"(
model m
redis { lease, done = 0 }
ghost holders = 0
process W[3] {
    takes 0..5 {
        if redis.SET(lease, self + 1, NX, PX = 8) {
            holders += 1
            pause 0..6
            redis.INCR(done)
            holders -= 1
            redis.eval { if redis.GET(lease) == self + 1 { redis.DEL(lease) } }
        }
    }
}
invariant mutual_exclusion: holders <= 1
)",
                     /*replay=*/true);
}

// A lock whose owner is a token, with crashes: `mine` is the request's token, `free` the owner's
// value when nobody holds it.
std::string LockWithAnOwnerAndCrashes(const std::string& mine, const std::string& free) {
  return fmt::format(R"(
model m
shared owner = {1}
shared inside = 0
lock mu
process W[3] may crash {{
    let mine = {0}
    let got = false
    lock mu {{
        if owner == {1} {{
            owner = mine
            got = true
        }}
    }}
    if got {{
        inside += 1
        inside -= 1
        lock mu {{
            if owner == mine {{ owner = {1} }}
        }}
    }}
}}
invariant one: inside <= 1
final released: owner == {1}
)",
                     mine, free);
}

TEST(SymmetryTokensSearch, ALockWithAnOwnerAndCrashes) {
  // The owner check is what keeps it right: a request whose token is no longer there must not
  // release another's; the invariant compares the owner with 0 only.
  ExpectSameFindings(LockWithAnOwnerAndCrashes("self + 1", "0"),
                     /*replay=*/false);  // a crash is a choice the schedule would have to name
}

TEST(SymmetryTokensSearch, ACheckThenSetOwnerReplays) {
  // Without the lock two requests both see the owner free, and both find their own token
  // there when they look again: the runs found replay as the model numbers its instances.
  ExpectSameFindings(R"(
model m
shared owner = 0
shared inside = 0
process W[3] {
    let mine = self + 1
    if owner == 0 { owner = mine }
    let now = owner
    if now == mine {
        inside += 1
        inside -= 1
        owner = 0
    }
}
invariant one: inside <= 1
)",
                     /*replay=*/true);
}

TEST(SymmetryTokensSearch, SelfItselfInLocalsReplays) {
  // `self` (c = 0) written into a nullable column and read back into locals, as
  // models/job_claim_nullable.cr does: a local starts at 0, instance 0's token, so it is renamed
  // only where its let has run (ir::AssignedAt), and the runs found replay.
  ExpectSameFindings(R"(
model m
table jobs(id key, claimed_by null) { (1, null) }
ghost runs = 0
process Worker[3] {
    let owner = select claimed_by from jobs where id = 1
    if owner is null {
        update jobs set claimed_by = self where id = 1
    }
    let now = select claimed_by from jobs where id = 1
    if now == self { runs += 1 }
}
invariant once: runs <= 1
)",
                     /*replay=*/true);
}

TEST(SymmetryTokensSearch, SelfItselfThroughAFnReplays) {
  // The claim of SelfItselfInLocalsReplays written as a fn called with `self` itself: the
  // parameter and the fn's locals are inlined copies, renamed where the call has set them.
  ExpectSameFindings(R"(
model m
table jobs(id key, claimed_by null) { (1, null) }
ghost runs = 0
fn claim(worker) {
    let owner = select claimed_by from jobs where id = 1
    if owner is null {
        update jobs set claimed_by = worker where id = 1
    }
    let now = select claimed_by from jobs where id = 1
    return now == worker
}
process Worker[3] {
    let mine = claim(self)
    if mine { runs += 1 }
}
invariant once: runs <= 1
)",
                     /*replay=*/true);
}

TEST(SymmetryTokensSearch, ALetInsideAnIfOrALoopReplays) {
  // Two workers may both see the owner free and both count a win: the same violation, fewer
  // states, and the runs found replay.
  ExpectSameFindings(LetInside("if"), /*replay=*/true);
  ExpectSameFindings(LetInside("while"), /*replay=*/true);
}

TEST(SymmetryTokensSearch, SelfItselfInLocalsWithCrashes) {
  // The same with `self` itself (c = 0): a crash clears the locals, back to the 0 that is no
  // token there, and the request goes on after it.
  ExpectSameFindings(LockWithAnOwnerAndCrashes("self", "99"), /*replay=*/false);
}

}  // namespace
}  // namespace racecheck::explore
