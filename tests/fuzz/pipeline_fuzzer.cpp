// libFuzzer harness over the whole pipeline: bytes -> parse and checks -> lowering -> a bounded
// explicit search and, for a fraction of the small inputs, a bounded z3 run -> both reporters.
// Model errors are fine. racecheck's own bugs abort, which libFuzzer counts as a crash: a failed
// RACECHECK_CHECK, a z3 run the explicit engine does not confirm, and two conclusive engines
// that disagree. Built by -DRACECHECK_FUZZ=ON with clang; run by .ci/fuzz (docs/testing.md).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/base/source.h"
#include "checker/driver/pipeline.h"
#include "checker/frontend/analyze.h"
#include "checker/ir/lower.h"
#include "checker/report/github.h"
#include "checker/report/json.h"
#include "checker/report/junit.h"
#include "checker/report/sarif.h"
#include "checker/report/summary.h"
#include "checker/report/text.h"

namespace racecheck {
namespace {

// Small limits: a run of the harness should take milliseconds, and a limit reached is an
// outcome (inconclusive) that goes through the reporters like any other.
constexpr uint64_t kMaxStates = 4000;
constexpr double kMaxSearchSeconds = 1;
constexpr uint64_t kMaxSearchBytes = uint64_t{256} << 20;
// The z3 engine takes tens of milliseconds even on a tiny model: it sees one small input in
// kZ3OneIn, chosen by a hash of the input so that a crash reproduces.
constexpr size_t kMaxZ3InputBytes = 1500;
constexpr uint64_t kZ3OneIn = 8;
constexpr double kMaxSolverSeconds = 2;
constexpr int32_t kUnroll = 3;

uint64_t Fnv1a(const uint8_t* data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (size_t k = 0; k < size; ++k) hash = (hash ^ data[k]) * 0x100000001b3ULL;
  return hash;
}

// What the front end and lowering make of the input; nullopt on a model error.
std::optional<ir::Program> Compile(const base::SourceFile& file) {
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, {}, diags);
  if (!model) return std::nullopt;
  return ir::Lower(*model, file, diags);
}

}  // namespace
}  // namespace racecheck

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace racecheck;
  base::SourceFile file("fuzz.cr", std::string(reinterpret_cast<const char*>(data), size));
  std::optional<ir::Program> program = Compile(file);
  bool z3 = program && size <= kMaxZ3InputBytes && Fnv1a(data, size) % kZ3OneIn == 0;

  driver::RunOptions options;
  // Under both, --max-states bounds the explicit engine alone (the z3 engine has no states).
  options.engine = z3 ? "both" : "explicit";
  options.search.max_states = kMaxStates;
  options.search.max_seconds = kMaxSearchSeconds;
  options.search.max_memory_bytes = kMaxSearchBytes;
  options.symbolic.max_seconds = kMaxSolverSeconds;
  options.symbolic.unroll = kUnroll;
  driver::RunOutcome outcome = driver::CheckSource(file, options);
  if (!outcome.internal_error.empty()) base::InternalError(__FILE__, __LINE__, outcome.internal_error);
  // Loops the z3 engine unrolled only kUnroll times may hide a violation from it; nothing else may.
  if (outcome.disagree && !(outcome.z3_report->verdict == result::Verdict::kSafe &&
                            outcome.z3_report->scope.find("--unroll") != std::string::npos)) {
    base::InternalError(__FILE__, __LINE__, outcome.comparison);
  }
  result::Run run;
  result::FileResult& entry = run.files.emplace_back();
  entry.file = file.path();
  entry.status = outcome.report ? result::FileStatus::kChecked : result::FileStatus::kModelError;
  entry.diagnostics = outcome.messages;
  entry.properties = outcome.properties;
  entry.engines_agree = outcome.engines_agree;
  entry.comparison = outcome.comparison;
  for (const std::optional<result::Report>* report : {&outcome.report, &outcome.z3_report}) {
    if (!report->has_value()) continue;
    report::RenderText(**report, report::TextOptions{.color = true, .show_cover_traces = true});
    entry.reports.push_back(**report);
  }
  // Every format of the run: model text with any bytes must not break one of them.
  report::RenderJson(run);
  report::RenderJunit(run);
  report::RenderSarif(run);
  report::RenderGithub(run);
  report::RenderSummary(run, true);
  return 0;
}
