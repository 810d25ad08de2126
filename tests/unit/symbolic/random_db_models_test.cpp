// Differential test for the database and Redis semantics: random models with tables,
// transactions, row locks, failures and Redis commands through both engines must get the same
// verdict and the same first violation. Models with a construct the z3 engine does not encode
// yet are counted as refused, not compared.
//   RACECHECK_RANDOM_DB_SEED=N  run that one seed only (prints the model)
//   RACECHECK_RANDOM_SAVE=DIR   save each failing model there, to keep as a regression case
#include <gtest/gtest.h>

#include "tests/unit/symbolic/differential.h"
#include "tests/unit/symbolic/random_db_model.h"

namespace racecheck::symbolic::testing {
namespace {

void Shard(uint64_t first, int count) {
  Tally tally = RunSeeds<RandomDbModel>("random_db", first, count);
  ExpectBothVerdicts(tally, count);
}

TEST(RandomDbModels, OneSeedFromTheEnvironment) {
  std::optional<uint64_t> seed = SeedFromEnvironment<RandomDbModel>("RACECHECK_RANDOM_DB_SEED");
  if (!seed) GTEST_SKIP() << "set RACECHECK_RANDOM_DB_SEED to run one seed";
  Shard(*seed, 1);
}

TEST(RandomDbModels, Seeds1To100) { Shard(1, 100); }
TEST(RandomDbModels, Seeds101To200) { Shard(101, 100); }

}  // namespace
}  // namespace racecheck::symbolic::testing
