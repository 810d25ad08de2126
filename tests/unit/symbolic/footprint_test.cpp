// Database footprints (docs/z3-encoding.md, "Reductions"): the peephole reduction swaps two
// steps only when their footprints do not conflict, so a footprint must hold every slot a
// database operation's outcome depends on or changes (else the reduction is unsound), and
// should hold no more (else it does nothing): rows a key lookup does not pick are not read.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/symbolic/step.h"
#include "checker/symbolic/unroll.h"
#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

// Whether the first steps of instances 0 and 1, each from the model's initial state, touch a
// common slot that one of them writes (some choice of their unknowns may make them).
bool FirstStepsConflict(const std::string& text) {
  ir::Program program = Must(text);
  z3::context ctx;
  Terms terms(ctx, Arithmetic::kBitVector);
  ExprEncoder exprs(program, terms);
  DbLayout layout(program);
  Unrolled unrolled = Unroll(program, 3);
  EXPECT_EQ(unrolled.problem, "");
  StepEncoder encoder(program, unrolled, layout, terms, exprs);
  std::vector<z3::expr> globals(layout.slot_count(), terms.Slot(0));
  for (int32_t slot = 0; slot < layout.slot_count(); ++slot) {
    if (layout.Boolean(slot)) globals[slot] = terms.False();
  }
  for (const ir::Table& table : program.tables) {
    for (size_t r = 0; r < table.initial_rows.size(); ++r) {
      auto row = static_cast<int32_t>(r);
      globals[table.ExistsSlot(row)] = terms.Slot(1);
      for (int32_t c = 0; c < table.column_count(); ++c) {
        globals[table.ValueSlot(row, c)] = terms.Slot(table.initial_rows[r][c]);
      }
    }
  }
  std::vector<StepEncoding> steps;
  for (int32_t i = 0; i < 2; ++i) {
    const ir::Process& process = program.processes[program.instances[i].process];
    std::vector<z3::expr> locals(process.local_names.size(), terms.Slot(0));
    steps.push_back(encoder.Encode(i, 0, globals, locals, std::to_string(i)));
  }
  EXPECT_EQ(encoder.problem(), "");
  z3::expr conflict = ctx.bool_val(false);
  auto against = [&](const std::map<int32_t, z3::expr>& writes, const StepEncoding& other) {
    for (const auto& [slot, when] : writes) {
      if (auto it = other.reads.find(slot); it != other.reads.end()) conflict = conflict || (when && it->second);
      if (auto it = other.writes.find(slot); it != other.writes.end()) conflict = conflict || (when && it->second);
    }
  };
  against(steps[0].writes, steps[1]);
  against(steps[1].writes, steps[0]);
  z3::solver solver(ctx);
  solver.add(conflict);
  return solver.check() == z3::sat;
}

const char* const kHeader = R"(
model footprints
runtime threads
table accounts(id key, balance) { (1, 100), (2, 100), (3, 100) }
)";

TEST(SymbolicFootprints, UpdatesOfDifferentKeysAreIndependent) {
  EXPECT_FALSE(FirstStepsConflict(std::string(kHeader) + R"(
process A { update accounts set balance = balance - 10 where id = 1 }
process B { update accounts set balance = balance + 10 where id = 2 }
)"));
}

TEST(SymbolicFootprints, LockingSelectsOfDifferentKeysAreIndependent) {
  EXPECT_FALSE(FirstStepsConflict(std::string(kHeader) + R"(
process A { transaction isolation read_committed { let a = select balance from accounts where id = 1 for update } }
process B { transaction isolation read_committed { let b = select balance from accounts where id = 3 for update } }
)"));
}

TEST(SymbolicFootprints, UpdatesOfOneKeyConflict) {
  EXPECT_TRUE(FirstStepsConflict(std::string(kHeader) + R"(
process A { update accounts set balance = balance - 10 where id = 2 }
process B { update accounts set balance = balance + 10 where id = 2 }
)"));
}

TEST(SymbolicFootprints, LockingSelectsOfOneKeyConflict) {
  EXPECT_TRUE(FirstStepsConflict(std::string(kHeader) + R"(
process A { transaction isolation read_committed { let a = select balance from accounts where id = 1 for update } }
process B { transaction isolation read_committed { let b = select balance from accounts where id = 1 for update } }
)"));
}

TEST(SymbolicFootprints, AScanReadsEveryRow) {
  // The where clause tests a column the update writes: every row is read.
  EXPECT_TRUE(FirstStepsConflict(std::string(kHeader) + R"(
process A { update accounts set balance = balance - 10 where id = 1 }
process B { let n = select count(*) from accounts where balance > 50 }
)"));
}

TEST(SymbolicFootprints, KeysOfATableWithInsertsAreRead) {
  // An insert may give a row slot any key: a key lookup reads every row.
  EXPECT_TRUE(FirstStepsConflict(std::string(kHeader) + R"(
process A { insert into accounts values (4, 0) }
process B { let b = select balance from accounts where id = 2 }
)"));
}

TEST(SymbolicFootprints, AKeyLookupReadsItsRow) {
  EXPECT_TRUE(FirstStepsConflict(std::string(kHeader) + R"(
process A { update accounts set balance = balance - 10 where id = 2 }
process B { let b = select balance from accounts where id = 2 }
)"));
  EXPECT_FALSE(FirstStepsConflict(std::string(kHeader) + R"(
process A { update accounts set balance = balance - 10 where id = 2 }
process B { let b = select balance from accounts where id = 3 }
)"));
}

}  // namespace
}  // namespace racecheck::symbolic::testing
