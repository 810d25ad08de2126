// Differential test: random models through both engines must get the same verdict, and every
// run the z3 engine reports must be confirmed by the explicit engine's replay.
//   RACECHECK_RANDOM_SEED=N    run that one seed only (prints the model)
//   RACECHECK_RANDOM_SAVE=DIR  save each failing model there, to keep as a regression case
#include <gtest/gtest.h>

#include "tests/unit/symbolic/differential.h"
#include "tests/unit/symbolic/random_model.h"

namespace racecheck::symbolic::testing {
namespace {

// Shared memory, locks and atomic blocks: everything the z3 engine encodes, so nothing is refused.
void Shard(uint64_t first, int count) {
  Tally tally = RunSeeds<RandomModel>("random", first, count);
  EXPECT_EQ(tally.refused, 0);
}

TEST(RandomModels, OneSeedFromTheEnvironment) {
  std::optional<uint64_t> seed = SeedFromEnvironment<RandomModel>("RACECHECK_RANDOM_SEED");
  if (!seed) GTEST_SKIP() << "set RACECHECK_RANDOM_SEED to run one seed";
  Shard(*seed, 1);
}

// Four shards, so that ctest -j runs them side by side.
TEST(RandomModels, Seeds1To200) { Shard(1, 200); }
TEST(RandomModels, Seeds201To400) { Shard(201, 200); }
TEST(RandomModels, Seeds401To600) { Shard(401, 200); }
TEST(RandomModels, Seeds601To800) { Shard(601, 200); }

}  // namespace
}  // namespace racecheck::symbolic::testing
