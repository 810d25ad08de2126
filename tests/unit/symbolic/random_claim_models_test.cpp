// Differential test for symmetry with tokens in a table column: random job-claim models
// (random_claim_model.h) through the explicit engine with and without symmetry and through the
// z3 engine must get the same verdict and the same first violation, and most of them must keep
// interchangeable workers (else the test would compare nothing symmetry does).
//   RACECHECK_RANDOM_CLAIM_SEED=N  run that one seed only (prints the model)
#include <gtest/gtest.h>

#include "checker/ir/symmetry.h"
#include "tests/unit/symbolic/differential.h"
#include "tests/unit/symbolic/random_claim_model.h"

namespace racecheck::symbolic::testing {
namespace {

// How many of the seeds' models have a symmetric group.
int Symmetric(uint64_t first, int count) {
  int symmetric = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    std::string errors;
    std::optional<ir::Program> program = Compile(RandomClaimModel(seed).Text(), &errors, "claim.cr");
    if (program && !ir::FindSymmetry(*program).groups.empty()) ++symmetric;
  }
  return symmetric;
}

void Shard(uint64_t first, int count) {
  Tally tally = RunSeeds<RandomClaimModel>("random_claim", first, count);
  ExpectBothVerdicts(tally, count);
  if (count > 1) {
    EXPECT_GE(Symmetric(first, count), count / 2);
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
