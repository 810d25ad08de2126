// The mutation test: models under the meaning-preserving mutations of model_mutator.h. Half the
// seeds take a model of models/, examples/ or the golden cases, the other half a model of the
// random-model generators of tests/unit/symbolic/. A mutated model must compile, keep every
// property the explicit engine finds violated (and, unless a read was split off into a new
// local, its number of states), and get the same verdict and first violation from both engines.
// Run by .ci/fuzz, not ctest (docs/testing.md).
//   RACECHECK_MUTATION_SEED=N     that seed only, its mutated model printed
//   RACECHECK_MUTATION_SEEDS=A..B those seeds instead of CI's
//   RACECHECK_MUTATION_SAVE=DIR   each failing mutated model written there, to keep as a case
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "checker/symbolic/support.h"
#include "tests/fuzz/model_mutator.h"
#include "tests/unit/symbolic/differential.h"
#include "tests/unit/symbolic/random_db_model.h"
#include "tests/unit/symbolic/random_model.h"
#include "tests/unit/symbolic/random_redis_model.h"

namespace racecheck::fuzz {
namespace {

using symbolic::testing::Compile;
using symbolic::testing::Tally;

// The seeds CI runs (about 10 minutes on two busy cores, beside libFuzzer: CI's budget for
// the pair), and what "small" means. RACECHECK_MUTATION_SEEDS runs more by hand.
constexpr uint64_t kFirstSeed = 1;
constexpr int kSeeds = 400;
constexpr uint64_t kMaxStates = 100'000;

struct Original {
  std::string name;
  std::string text;
};

// Every violation the explicit engine finds when it goes on after each, as kind and property
// (asserts and runtime errors by kind alone: their keys name lines, which reordering moves),
// renamed properties under their old names, sorted; nullopt when the search hit its limit.
std::optional<std::vector<std::string>> Violated(const ir::Program& program, uint64_t* states,
                                                 const std::map<std::string, std::string>& old_names = {}) {
  explore::SearchOptions options;
  options.all = true;
  // The number of states is compared too: without the reductions it is a property of the model
  // alone (the proviso of partial-order reduction depends on the order states are met in, and
  // symmetry's sorted blocks on the order of locals). The models-agreement and random-model
  // tests check the reductions' verdicts.
  options.por = false;
  options.symmetry = false;
  options.max_states = kMaxStates;
  result::Report report = explore::Search(program, options);
  if (report.verdict == result::Verdict::kInconclusive) return std::nullopt;
  std::vector<std::string> violated;
  for (const result::Violation& v : report.violations) {
    bool named = v.kind == result::ViolationKind::kInvariant || v.kind == result::ViolationKind::kFinal ||
                 v.kind == result::ViolationKind::kCover;
    auto old = old_names.find(v.property);
    std::string property = !named ? "" : old != old_names.end() ? old->second : v.property;
    violated.push_back(fmt::format("{} {}", static_cast<int>(v.kind), property));
  }
  std::sort(violated.begin(), violated.end());
  *states = report.stats.states;
  return violated;
}

// A `choose` over more values than kMaxStates with constant bounds: Violated goes on after the
// violation and so takes every value, each a transition (violation_in_choose's 2^31 took minutes
// of CI for each of its runs).
bool ChoosesTooWidely(const ir::Program& program) {
  for (const ir::Process& process : program.processes) {
    for (const ir::Instr& instr : process.code) {
      if (instr.op != ir::Op::kChoose) continue;
      const ir::Expr& lo = program.exprs[instr.expr];
      const ir::Expr& hi = program.exprs[instr.expr2];
      if (lo.op == ir::ExprOp::kConst && hi.op == ir::ExprOp::kConst &&
          static_cast<double>(hi.value) - static_cast<double>(lo.value) >= kMaxStates) {
        return true;
      }
    }
  }
  return false;
}

// The program of a model both engines take, or nullopt; `why` says why not.
std::optional<ir::Program> Takes(const Original& model, std::string& why) {
  std::optional<ir::Program> program = Compile(model.text, &why, model.name);
  if (program && !driver::ExplicitRefusal(*program).empty()) why = "parameter ranges too wide to enumerate";
  if (program && !symbolic::UnsupportedConstruct(*program).empty()) why = symbolic::UnsupportedConstruct(*program);
  if (program && why.empty()) return program;
  return std::nullopt;
}

// The models of models/, examples/ and the golden cases that both engines take and whose full
// explicit search stays under kMaxStates (none takes the z3 engine more than a few seconds), in
// path order, so that a seed names one model for good. Cases about command-line options
// (`// racecheck-args:`) are the golden tests' business.
std::vector<Original> Corpus() {
  std::vector<std::string> paths;
  for (const char* folder : {"models", "models/anomalies", "examples", "tests/golden/cases"}) {
    for (const auto& entry : std::filesystem::directory_iterator(std::string(RACECHECK_SOURCE_DIR) + "/" + folder)) {
      if (entry.path().extension() == ".cr") paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Original> corpus;
  for (const std::string& path : paths) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    Original model{path.substr(std::string(RACECHECK_SOURCE_DIR).size() + 1), text.str()};
    if (model.text.find("// racecheck-args:") != std::string::npos) continue;
    // The mutator does not know named values yet: renaming a value would miss its 'quoted' SQL
    // spelling. Such models wait until it does.
    if (model.text.find("enum ") != std::string::npos) continue;
    std::string why;
    std::optional<ir::Program> program = Takes(model, why);
    uint64_t states = 0;
    if (program && ChoosesTooWidely(*program)) {
      why = fmt::format("a choose of more than {} values, each a transition when the search goes on", kMaxStates);
    } else if (program && !Violated(*program, &states)) {
      why = fmt::format("more than {} states", kMaxStates);
    }
    if (!why.empty()) {
      std::printf("left out: %s: %s\n", model.name.c_str(), why.substr(0, why.find('\n')).c_str());
      continue;
    }
    corpus.push_back(std::move(model));
  }
  return corpus;
}

// Even seeds take the corpus in turn; odd ones a random model, mostly of shared memory, the
// database ones (for which the z3 engine takes longest) least often.
Original ModelForSeed(uint64_t seed, const std::vector<Original>& corpus) {
  if (seed % 2 == 0) return corpus[(seed / 2) % corpus.size()];
  switch ((seed / 2) % 8) {
    case 5:
    case 6: return {fmt::format("random_redis_{}", seed), symbolic::testing::RandomRedisModel(seed).Text()};
    case 7: return {fmt::format("random_db_{}", seed), symbolic::testing::RandomDbModel(seed).Text()};
    default: return {fmt::format("random_{}", seed), symbolic::testing::RandomModel(seed).Text()};
  }
}

// How often each mutation ran, how many reads were split off, how many seeds were skipped.
using Counts = std::map<std::string, int>;

// Empty when the mutated model keeps the model's meaning; else what went wrong.
std::string CheckSeed(const Original& model, uint64_t seed, Tally& tally, Counts& counts, std::string& text) {
  text = model.text;
  std::string why;
  std::optional<ir::Program> original = Takes(model, why);
  uint64_t original_states = 0;
  std::optional<std::vector<std::string>> original_violated;
  if (original) original_violated = Violated(*original, &original_states);
  if (!original_violated) {
    ++counts["skipped: a random model one engine does not take or that has too many states"];
    return "";
  }

  SeededRandom random(seed, 0x6d757461, 17);
  std::map<std::string, std::string> renamed;
  int splits = 0;
  std::vector<std::string> applied;
  // Each mutation with probability 3/4, in this order (renaming last renames the added
  // variables and locals too); at least one.
  int mask = 1 + random.Below(15);
  for (int bit = 0; bit < 4; ++bit) {
    if ((mask & (1 << bit)) == 0 || random.Below(4) == 0) continue;
    const char* what = bit == 0 ? "split reads" : bit == 1 ? "add unused" : bit == 2 ? "reorder" : "rename";
    Mutated mutated = bit == 0   ? HoistReads(text, random, splits)
                      : bit == 1 ? AddUnused(text, random)
                      : bit == 2 ? Reorder(text, random)
                                 : Rename(text, random, renamed);
    applied.push_back(what);
    ++counts[what];
    if (!mutated.error.empty()) {
      return fmt::format("{} after ({}): the model before it does not compile:\n{}", model.name,
                         fmt::join(applied, ", "), mutated.error);
    }
    text = std::move(mutated.text);
  }
  counts["reads split off"] += splits;
  std::string name = fmt::format("{} after ({})", model.name, fmt::join(applied, ", "));
  std::optional<ir::Program> program = Compile(text, &why, "mutated.cr");
  if (!program) return fmt::format("{}: the front end rejects the mutated model:\n{}", name, why);
  std::map<std::string, std::string> old_names;
  for (const auto& [old_name, new_name] : renamed) old_names[new_name] = old_name;
  uint64_t states = 0;
  std::optional<std::vector<std::string>> violated = Violated(*program, &states, old_names);
  if (!violated) return fmt::format("{}: the explicit search hit its limit", name);
  if (*violated != *original_violated) {
    return fmt::format("{} changed what is violated: [{}] became [{}]", name, fmt::join(*original_violated, "; "),
                       fmt::join(*violated, "; "));
  }
  if (splits == 0 && states != original_states) {
    return fmt::format("{} changed the number of states: {} became {}", name, original_states, states);
  }
  return symbolic::testing::CheckModel(name, text, tally);
}

void RunSeeds(uint64_t first, int count, bool print) {
  std::vector<Original> corpus = Corpus();
  ASSERT_GE(corpus.size(), 40u) << "most models should be small enough for the mutation test";
  Tally tally;
  Counts counts;
  std::map<std::string, double> seconds_by_source;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    Original model = ModelForSeed(seed, corpus);
    std::string text;
    // Processor time, which a busy machine does not inflate.
    std::clock_t start = std::clock();
    std::string failure = CheckSeed(model, seed, tally, counts, text);
    double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    seconds_by_source[model.name.substr(0, model.name.find_first_of("/0123456789"))] += seconds;
    if (seconds > 3) {
      std::printf("slow: seed %llu, %s, %.1f s\n", static_cast<unsigned long long>(seed), model.name.c_str(), seconds);
    }
    if (print) std::printf("%s\n", text.c_str());
    const char* dir = std::getenv("RACECHECK_MUTATION_SAVE");
    if (!failure.empty() && dir != nullptr) std::ofstream(fmt::format("{}/mutation_{}.cr", dir, seed)) << text;
    EXPECT_EQ(failure, "") << "seed " << seed << "\n" << text;
  }
  std::printf("mutation seeds %llu..%llu over %zu models and the random ones: %d safe, %d violation, %d deadlock, "
              "%d skipped at a limit, %d refused by z3\n",
              static_cast<unsigned long long>(first), static_cast<unsigned long long>(first + count - 1),
              corpus.size(), tally.safe, tally.violation, tally.deadlock, tally.skipped, tally.refused);
  for (const auto& [what, times] : counts) std::printf("  %s: %d\n", what.c_str(), times);
  for (const auto& [source, seconds] : seconds_by_source) {
    std::printf("  processor seconds on %s: %.0f\n", source.c_str(), seconds);
  }
  // Skips are solver time-outs, which depend on the machine's load; a tenth means a real slowdown.
  EXPECT_LE(tally.skipped, count / 10);
}

// The mutator must never rename a keyword nor take one as a fresh name: every word the grammar
// quotes (outside comments) is in IsKeyword's list.
TEST(Mutation, KeywordListHoldsEveryWordOfTheGrammar) {
  std::ifstream grammar(std::string(RACECHECK_SOURCE_DIR) + "/grammar/RaceCheck.g4");
  ASSERT_TRUE(grammar) << "grammar/RaceCheck.g4 not found";
  std::string line;
  int words = 0;
  while (std::getline(grammar, line)) {
    std::string_view code(line);
    if (size_t comment = code.find("//"); comment != std::string_view::npos) code = code.substr(0, comment);
    if (code.find("~[") != std::string_view::npos) continue;  // character sets: their quotes are no literals
    for (size_t open = code.find('\''); open != std::string_view::npos; open = code.find('\'', open + 1)) {
      size_t close = code.find('\'', open + 1);
      if (close == std::string_view::npos) break;
      std::string_view literal = code.substr(open + 1, close - open - 1);
      open = close;
      auto is_letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
      if (literal.empty() || !std::all_of(literal.begin(), literal.end(), is_letter)) continue;
      ++words;
      EXPECT_TRUE(IsKeyword(literal)) << "'" << literal
                                      << "' of grammar/RaceCheck.g4 is missing from IsKeyword in tests/fuzz/model_mutator.h";
    }
  }
  EXPECT_GT(words, 50);
}

TEST(Mutation, SeedsKeepEveryVerdict) {
  if (const char* seed = std::getenv("RACECHECK_MUTATION_SEED")) {
    RunSeeds(std::strtoull(seed, nullptr, 10), 1, true);
    return;
  }
  // FIRST..LAST: other seeds than CI's, for a longer run by hand.
  if (const char* range = std::getenv("RACECHECK_MUTATION_SEEDS")) {
    char* rest = nullptr;
    uint64_t first = std::strtoull(range, &rest, 10);
    uint64_t last = std::strtoull(rest + std::strspn(rest, "."), nullptr, 10);
    ASSERT_GE(last, first) << "RACECHECK_MUTATION_SEEDS=FIRST..LAST";
    RunSeeds(first, static_cast<int>(last - first + 1), false);
    return;
  }
  RunSeeds(kFirstSeed, kSeeds, false);
}

}  // namespace
}  // namespace racecheck::fuzz
