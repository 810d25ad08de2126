// Differential test for symmetry with tokens in a table column: random job-claim models
// (random_claim_model.h) through the explicit engine with and without symmetry and through the
// z3 engine must get the same verdict and the same first violation, and most of them must keep
// interchangeable workers (else the test would compare nothing symmetry does).
//   RACECHECK_RANDOM_CLAIM_SEED=N  run that one seed only (prints the model)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "checker/ir/assigned_locals.h"
#include "checker/ir/symmetry.h"
#include "tests/unit/symbolic/differential.h"
#include "tests/unit/symbolic/random_claim_model.h"

namespace racecheck::symbolic::testing {
namespace {

struct Groups {
  int symmetric = 0;     // models with a symmetric group
  int self_itself = 0;   // of them, those whose ids are `self` itself (c = 0, ir::AssignedAt)
  int dead = 0;          // of those, the ones with a token local dead where a state rests (ir::kDeadHere)
};

bool SomeLocalDies(const ir::SymmetryGroup& group) {
  for (const auto& [offset, pcs] : group.tokens.offset_pcs) {
    if (std::find(pcs->begin(), pcs->end(), ir::kDeadHere) != pcs->end()) return true;
  }
  return false;
}

Groups Symmetric(uint64_t first, int count) {
  Groups groups;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    std::string text = RandomClaimModel(seed).Text();
    std::string errors;
    std::optional<ir::Program> program = Compile(text, &errors, "claim.cr");
    if (!program) continue;
    ir::SymmetryAnalysis analysis = ir::FindSymmetry(*program);
    if (analysis.groups.empty()) continue;
    ++groups.symmetric;
    groups.self_itself += text.find("self + 10") == std::string::npos && text.find("self") != std::string::npos;
    groups.dead += SomeLocalDies(analysis.groups[0]);
  }
  return groups;
}

void Shard(uint64_t first, int count) {
  Tally tally = RunSeeds<RandomClaimModel>("random_claim", first, count);
  ExpectBothVerdicts(tally, count);
  if (count > 1) {
    Groups groups = Symmetric(first, count);
    std::printf(
        "random_claim %llu..%llu: %d with a symmetric group, %d of them with `self` itself as the id, %d with a "
        "token local out of its scope\n",
        static_cast<unsigned long long>(first), static_cast<unsigned long long>(first + count - 1), groups.symmetric,
        groups.self_itself, groups.dead);
    EXPECT_GE(groups.symmetric, count / 2);
    EXPECT_GE(groups.self_itself, count / 10);
    EXPECT_GE(groups.dead, count / 20);
  }
}

TEST(RandomClaimModels, OneSeedFromTheEnvironment) {
  std::optional<uint64_t> seed = SeedFromEnvironment<RandomClaimModel>("RACECHECK_RANDOM_CLAIM_SEED");
  if (!seed) GTEST_SKIP() << "set RACECHECK_RANDOM_CLAIM_SEED to run one seed";
  Shard(*seed, 1);
}

TEST(RandomClaimModels, Seeds1To40) { Shard(1, 40); }

}  // namespace
}  // namespace racecheck::symbolic::testing
