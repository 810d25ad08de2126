// Differential test for the Redis semantics: random models with leases that expire, WATCH and
// MULTI/EXEC, scripts and instance arrays through both engines must get the same verdict and
// the same first violation.
//   RACECHECK_RANDOM_REDIS_SEED=N  run that one seed only (prints the model)
//   RACECHECK_RANDOM_SAVE=DIR      save each failing model there, to keep as a regression case
#include <gtest/gtest.h>

#include "tests/unit/symbolic/differential.h"
#include "tests/unit/symbolic/random_redis_model.h"

namespace racecheck::symbolic::testing {
namespace {

void Shard(uint64_t first, int count) {
  Tally tally = RunSeeds<RandomRedisModel>("random_redis", first, count);
  ExpectBothVerdicts(tally, count);
}

TEST(RandomRedisModels, OneSeedFromTheEnvironment) {
  std::optional<uint64_t> seed = SeedFromEnvironment<RandomRedisModel>("RACECHECK_RANDOM_REDIS_SEED");
  if (!seed) GTEST_SKIP() << "set RACECHECK_RANDOM_REDIS_SEED to run one seed";
  Shard(*seed, 1);
}

TEST(RandomRedisModels, Seeds1To100) { Shard(1, 100); }
TEST(RandomRedisModels, Seeds101To200) { Shard(101, 100); }

}  // namespace
}  // namespace racecheck::symbolic::testing
