// ir::LiveLocals, which lets the z3 engine keep no value of a local nobody will read
// (docs/z3-encoding.md, "Steps as terms"): live across a loop's back edge, dead after its last
// read, and always live for parameters.
#include <gtest/gtest.h>

#include <algorithm>

#include "checker/ir/process_exprs.h"
#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Compile;
using testing::LocalIndex;

// The pcs of the process where the local is live.
std::vector<int32_t> LiveAt(const ir::Program& program, const std::string& name) {
  const ir::Process& process = program.processes[0];
  int32_t local = LocalIndex(process, name);
  std::vector<std::vector<bool>> live = ir::LiveLocals(program, process);
  std::vector<int32_t> pcs;
  for (size_t pc = 0; pc < live.size() && local >= 0; ++pc) {
    if (live[pc][local]) pcs.push_back(static_cast<int32_t>(pc));
  }
  return pcs;
}

TEST(LiveLocals, AValueReadInTheNextRoundIsLiveAroundTheLoop) {
  ir::Program program = Compile(R"(
model m
shared s = 0
process P(rounds = 3) {
    let last = 0
    let i = 0
    while i < rounds {
        let seen = s
        assert last <= seen
        last = seen
        i = i + 1
    }
}
)");
  const ir::Process& process = program.processes[0];
  std::vector<int32_t> last = LiveAt(program, "last");
  std::vector<int32_t> seen = LiveAt(program, "seen");
  auto live = [](const std::vector<int32_t>& pcs, int32_t pc) { return std::binary_search(pcs.begin(), pcs.end(), pc); };
  int32_t head = -1, back = -1, check = -1, overwrite = -1;
  for (size_t k = 0; k < process.code.size(); ++k) {
    auto pc = static_cast<int32_t>(k);
    const ir::Instr& instr = process.code[k];
    if (instr.op == ir::Op::kJump && instr.target < pc) back = pc, head = instr.target;
    if (instr.op == ir::Op::kAssert) check = pc;
    if (instr.op == ir::Op::kLet && instr.dst == LocalIndex(process, "last") && pc > 0) overwrite = pc;
  }
  ASSERT_TRUE(head >= 0 && check >= 0 && overwrite > check);
  // `last` is read by the assert of every round: live at the loop's head and on its back edge,
  // dead before its let and where `last = seen` overwrites it.
  EXPECT_TRUE(live(last, head));
  EXPECT_TRUE(live(last, back));
  EXPECT_TRUE(live(last, check));
  EXPECT_FALSE(live(last, 0));
  EXPECT_FALSE(live(last, overwrite));
  // `seen` is dead once `last = seen` has read it: not at the back edge nor at the head.
  EXPECT_TRUE(live(seen, overwrite));
  EXPECT_FALSE(live(seen, back));
  EXPECT_FALSE(live(seen, head));
  // A parameter is live everywhere: a crash's restart starts over with it.
  EXPECT_EQ(LiveAt(program, "rounds").size(), process.code.size());
}

TEST(LiveLocals, AResultNobodyReadsIsNeverLive) {
  ir::Program program = Compile(R"(
model m
table accounts(id key, balance) { (1, 100) }
process P {
    transaction {
        let mine = select balance from accounts where id = 1 for update
        let f = select balance from accounts where id = 1
        if f >= 10 {
            update accounts set balance = balance - 10 where id = 1
        }
    }
}
)");
  EXPECT_TRUE(LiveAt(program, "mine").empty());
  // `f` is dead after the branch that reads it: the last pc where it is live is that branch. (A
  // statement's results are not taken as writes, so `f` counts as live before its statement too:
  // more than needed, never less.)
  std::vector<int32_t> f = LiveAt(program, "f");
  ASSERT_FALSE(f.empty());
  const ir::Process& process = program.processes[0];
  EXPECT_EQ(process.code[f.back()].op, ir::Op::kBranchFalse);
}

}  // namespace
}  // namespace racecheck::explore
