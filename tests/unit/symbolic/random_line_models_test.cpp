// Differential test for the row-lock line: random models of three or four transactions on the
// same rows (random_line_model.h) through the explicit engine (with and without symmetry and
// partial-order reduction, on one thread and several) and the z3 engine must get the same
// verdict and the same first violation. The random DB models have two instances, which never
// queue behind one another.
//   RACECHECK_RANDOM_LINE_SEED=N  run that one seed only (prints the model)
#include <gtest/gtest.h>

#include "tests/unit/symbolic/differential.h"
#include "tests/unit/symbolic/random_line_model.h"

namespace racecheck::symbolic::testing {
namespace {

TEST(RandomLineModels, OneSeedFromTheEnvironment) {
  std::optional<uint64_t> seed = SeedFromEnvironment<RandomLineModel>("RACECHECK_RANDOM_LINE_SEED");
  if (!seed) GTEST_SKIP() << "set RACECHECK_RANDOM_LINE_SEED to run one seed";
  RunSeeds<RandomLineModel>("random_line", *seed, 1);
}

TEST(RandomLineModels, Seeds1To12) { ExpectBothVerdicts(RunSeeds<RandomLineModel>("random_line", 1, 12), 12); }

}  // namespace
}  // namespace racecheck::symbolic::testing
