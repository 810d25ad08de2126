#include "checker/driver/cli.h"

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <fmt/format.h>

#include "checker/base/diagnostics.h"
#include "checker/base/stop.h"
#include "checker/driver/arguments.h"
#include "checker/driver/expectation.h"
#include "checker/driver/outputs.h"
#include "checker/driver/pipeline.h"
#include "checker/report/html.h"
#include "checker/report/github.h"
#include "checker/report/json.h"
#include "checker/report/junit.h"
#include "checker/report/sarif.h"
#include "checker/report/summary.h"
#include "checker/report/text.h"

namespace racecheck::driver {
namespace {

// CLI11 says "--max-seconds: At Most 1 required but received 2" of an option given twice.
std::string UsageMessage(std::string message) {
  const std::string tail = ": At Most 1 required but received ";
  size_t at = message.find(tail);
  if (at != std::string::npos) {
    message = fmt::format("{} is given {} times; it takes one value", message.substr(0, at), message.substr(at + tail.size()));
  }
  return message;
}

// Without --max-memory the search stops at three quarters of the memory available when it
// starts: running into the kernel's out-of-memory killer would end it with no report at all.
uint64_t DefaultMemoryLimit() {
  uint64_t available = 0;
  std::ifstream meminfo("/proc/meminfo");  // MemAvailable counts reclaimable cache; sysconf does not
  for (std::string key; meminfo >> key;) {
    uint64_t kib = 0;
    if (key == "MemAvailable:" && meminfo >> kib) available = kib * 1024;
    meminfo.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  if (available == 0) {
    long pages = sysconf(_SC_AVPHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page_size > 0) available = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
  }
  return available / 4 * 3;
}

// `--set NAME=VALUE`: VALUE is an integer or true/false.
bool ParseOverride(const std::string& text, frontend::ConstOverride& out, std::string& error) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    error = fmt::format("--set {}: write --set NAME=VALUE, as in --set START=500", text);
    return false;
  }
  out.name = text.substr(0, eq);
  std::string value = text.substr(eq + 1);
  if (value == "true" || value == "false") {
    out.is_bool = true;
    out.value = value == "true";
    return true;
  }
  errno = 0;
  char* end = nullptr;
  long long parsed = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0 || parsed < INT32_MIN || parsed > INT32_MAX) {
    error = fmt::format("--set {}: the value must be a 32-bit integer or true/false, not '{}'", text, value);
    return false;
  }
  out.value = parsed;
  return true;
}

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

// Worst outcome first: a model error beats an unmet expectation beats an inconclusive search.
int Combine(int a, int b) {
  auto rank = [](int code) { return code == kExitUsage ? 3 : code == kExitViolation ? 2 : code == kExitInconclusive ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

// Ctrl-C: the first asks the engines to stop and report what they found (INCONCLUSIVE,
// interrupted); a second one ends the process at once, as SPIN and TLC users expect.
void OnInterrupt(int /*signal*/) {
  if (base::Interrupted()) _exit(130);
  base::RequestInterrupt();
}

void InstallInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
}

// A report that could not be written (a full disk, a closed stdout) is an error, not success.
int FinishOutput(int exit_code) {
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "racecheck: cannot write the report to standard output: %s\n", std::strerror(errno));
    return kExitUsage;
  }
  return exit_code;
}

// The machine-readable formats, rendered once the run is over.
std::string RenderRun(const std::string& format, const result::Run& run) {
  if (format == "json") return report::RenderJson(run);
  if (format == "junit") return report::RenderJunit(run);
  if (format == "sarif") return report::RenderSarif(run);
  if (format == "github") return report::RenderGithub(run);
  if (format == "html") return report::RenderHtml(run);
  base::InternalError(__FILE__, __LINE__, "no renderer for --format " + format);
}

}  // namespace

int RunCli(int argc, char** argv) {
  base::InstallTerminateHandler();
  CLI::App app{"racecheck: explores every interleaving of a .cr model of concurrent code and prints the\n"
               "shortest run that breaks a property, or confirms that none does.",
               "racecheck"};
  app.set_version_flag("--version", std::string("racecheck ") + RACECHECK_VERSION);
  app.require_subcommand(0, 1);

  std::vector<std::string> inputs;
  std::vector<std::string> sets;
  std::string engine = "explicit";
  std::vector<std::string> formats, output_paths;
  std::string color = "auto";
  std::string html_file;
  bool dfs = false, no_por = false, all = false, quiet = false, stable = false, cover_traces = false,
       no_symmetry = false;
  std::string max_states_text = "0", max_seconds_text = "0", max_memory_text = "0";
  int32_t unroll = symbolic::SymbolicOptions{}.unroll;
  int threads = 0;

  app.add_option("models", inputs, "model files (.cr) or folders of them")->type_name("FILE...");
  app.add_option("--engine", engine, "explicit (every state), z3 (symbolic: every value at once), both (compared) or auto "
                 "(one per model, picked by its initial states; the report says which and why)")
      ->check(CLI::IsMember({"explicit", "z3", "both", "auto"}))->capture_default_str();
  app.add_option("--unroll", unroll, "z3: times round a loop whose bound racecheck cannot see")
      ->check(CLI::Range(1, 1000))->capture_default_str();
  app.add_flag("--dfs", dfs, "search depth-first (less memory; traces are then not the shortest)");
  app.add_flag("--no-por", no_por, "explicit engine: no partial-order reduction (every interleaving of independent steps)");
  app.add_flag("--no-symmetry", no_symmetry,
               "no symmetry reduction: the explicit engine stores every state, not one per orbit of "
               "interchangeable instances; the z3 engine searches every order of their first steps");
  app.add_option("--threads", threads,
                 "explicit engine, breadth-first: threads that expand states together (0: every core); the result "
                 "is the same for any number")->check(CLI::Range(0, 1024))->capture_default_str()->type_name("N");
  app.add_flag("--all", all, "keep going after the first violation: one shortest trace per violated property");
  app.add_option("--max-states", max_states_text,
                 "explicit engine: stop as inconclusive after this many states (0: no limit)")->type_name("N");
  app.add_option("--max-seconds", max_seconds_text,
                 "stop as inconclusive after this many seconds per model, both engines together (0: no limit)")
      ->type_name("S");
  app.add_option("--max-memory", max_memory_text,
                 "stop as inconclusive when the state store (or Z3) reaches this size (4G, 512M; default: 3/4 of "
                 "free memory)")->type_name("SIZE");
  // expected(1): each --set takes one NAME=VALUE, so the model file after it stays a model.
  app.add_option("--set", sets, "override a constant: --set START=500 (repeatable)")->type_name("NAME=VALUE")->allow_extra_args(false);
  app.add_option("--format", formats, "text (default), json, junit, sarif, github or html; repeatable, each paired with an --output")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kFormats), std::end(kFormats))))
      ->allow_extra_args(false);
  app.add_option("--output", output_paths, "where the n-th --format goes: a file, or - for standard output (repeatable)")
      ->type_name("FILE")->allow_extra_args(false);
  app.add_option("--color", color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--html", html_file, "also write the run as one self-contained HTML page (each counterexample as "
                 "a swimlane): short for --format html --output FILE")->type_name("FILE");
  app.add_flag("--show-cover-traces", cover_traces, "also print the shortest run that reaches each cover property");
  app.add_flag("-q,--quiet", quiet, "no progress line on stderr");
  app.add_flag("--stable", stable, "leave times and memory out of reports (for golden files and diffs)");

  CLI::App* parse = app.add_subcommand("parse", "check a model and print its syntax tree; runs no engine");
  std::string parse_file;
  parse->add_option("model", parse_file, "the model file")->required();
  parse->add_option("--set", sets, "override a constant: --set START=500")->type_name("NAME=VALUE")->allow_extra_args(false);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? kExitOk : kExitUsage;  // --help, --version
    // The parser's own words, in racecheck's form like every other usage error.
    std::fprintf(stderr, "racecheck: %s\n(racecheck --help lists the options)\n", UsageMessage(e.what()).c_str());
    return kExitUsage;
  }

  uint64_t max_states = 0, max_memory = 0;
  double max_seconds = 0;
  std::string error;
  std::vector<Output> outputs;
  // --html FILE is one more pair: --format html --output FILE.
  if (!html_file.empty()) {
    // Whatever would have gone to standard output still does.
    if (output_paths.empty() && formats.size() <= 1) {
      if (formats.empty()) formats.push_back("text");
      output_paths.push_back("-");
    } else if (formats.empty() && output_paths.size() == 1) {
      formats.push_back("text");  // a lone --output is the text report's, as without --html
    }
    formats.push_back("html");
    output_paths.push_back(html_file);
  }
  if (!PairOutputs(formats, output_paths, outputs, error) || !ParseCount("--max-states", max_states_text, max_states, error) ||
      !ParseSeconds("--max-seconds", max_seconds_text, max_seconds, error) ||
      !ParseSize("--max-memory", max_memory_text, max_memory, error)) {
    std::fprintf(stderr, "racecheck: %s\n", error.c_str());
    return kExitUsage;
  }

  RunOptions options;
  options.stable = stable;
  for (const std::string& s : sets) {
    frontend::ConstOverride o;
    if (!ParseOverride(s, o, error)) {
      std::fprintf(stderr, "racecheck: %s\n", error.c_str());
      return kExitUsage;
    }
    options.overrides.push_back(o);
  }

  if (parse->parsed()) {
    std::string ast_text;
    RunOutcome outcome = ParseOnly(parse_file, options, ast_text);
    if (!outcome.diagnostics.empty()) {
      std::fputs(outcome.diagnostics.c_str(), stderr);
      return kExitUsage;
    }
    std::fputs(ast_text.c_str(), stdout);
    return FinishOutput(kExitOk);
  }

  if (inputs.empty()) {
    std::fputs(app.help().c_str(), stderr);
    return kExitUsage;
  }
  std::vector<std::string> files;
  std::string skipped;
  bool expanded = ExpandInputs(inputs, files, skipped, error);
  std::fputs(skipped.c_str(), stderr);
  if (!expanded) {
    std::fprintf(stderr, "racecheck: %s\n", error.c_str());
    return kExitUsage;
  }
  InstallInterruptHandler();

  options.search.dfs = dfs;
  options.search.por = !no_por;
  options.search.all = all;
  options.search.symmetry = !no_symmetry;
  options.search.threads = threads;
  options.search.max_states = max_states;
  options.search.max_seconds = max_seconds;
  options.search.max_memory_bytes = max_memory != 0 ? max_memory : DefaultMemoryLimit();
  options.search.progress = !quiet && isatty(STDERR_FILENO);
  options.engine = engine;
  options.symbolic.unroll = unroll;
  options.symbolic.symmetry = !no_symmetry;
  options.symbolic.max_seconds = max_seconds;
  options.symbolic.max_memory_bytes = options.search.max_memory_bytes;
  options.symbolic.progress = options.search.progress;
  report::TextOptions text_options{UseColor(color), cover_traces};

  if (!OpenOutputs(outputs, error)) {
    std::fprintf(stderr, "racecheck: %s\n", error.c_str());
    CloseOutputs(outputs, error);
    return kExitUsage;
  }
  // Text is written model by model, as each is checked; the other formats once the run is over.
  std::vector<Output*> text_outputs;
  bool text_on_stdout = false;
  for (Output& output : outputs) {
    if (output.format != "text") continue;
    text_outputs.push_back(&output);
    text_on_stdout = text_on_stdout || output.stream == stdout;
  }
  // Colour only on the terminal, never into a file.
  auto write_text = [&](const std::function<std::string(const report::TextOptions&)>& render) {
    for (Output* output : text_outputs) {
      report::TextOptions own = text_options;
      own.color = own.color && output->stream == stdout;
      std::fputs(render(own).c_str(), output->stream);
      std::fflush(output->stream);
    }
  };

  int exit_code = kExitOk;
  result::Run run;
  run.stable = stable;
  run.version = RACECHECK_VERSION;
  bool several = files.size() > 1;
  for (const std::string& file : files) {
    result::FileResult& entry = run.files.emplace_back();
    entry.file = file;
    // After Ctrl-C the model being checked reports what it found; the rest are not started.
    if (base::Interrupted()) {
      entry.status = result::FileStatus::kNotChecked;
      continue;
    }
    RunOutcome outcome = CheckModel(file, options);
    if (!outcome.internal_error.empty()) base::InternalError(__FILE__, __LINE__, outcome.internal_error);
    std::fputs(outcome.notes.c_str(), stderr);
    entry.diagnostics = std::move(outcome.messages);
    entry.properties = std::move(outcome.properties);
    if (!outcome.report) {
      std::fputs(outcome.diagnostics.c_str(), stderr);
      exit_code = Combine(exit_code, kExitUsage);
      entry.status = result::FileStatus::kModelError;
      continue;
    }
    entry.reports.push_back(std::move(*outcome.report));
    if (outcome.z3_report) entry.reports.push_back(std::move(*outcome.z3_report));
    entry.engines_agree = outcome.engines_agree;
    entry.comparison = outcome.comparison;
    for (const result::Report& report : entry.reports) exit_code = Combine(exit_code, ExitCodeFor(report));
    if (outcome.disagree) exit_code = Combine(exit_code, kExitViolation);
    write_text([&](const report::TextOptions& own) {
      std::string text;
      for (const result::Report& report : entry.reports) {
        if (several && &report == &entry.reports.front()) text += fmt::format("== {}\n", file);
        if (entry.reports.size() > 1) text += fmt::format("-- {} engine\n", report.engine);
        text += report::RenderText(report, own);
        if (several || entry.reports.size() > 1) text += "\n";
      }
      if (!entry.comparison.empty()) text += entry.comparison + "\n" + (several ? "\n" : "");
      return text;
    });
    // Without a text report on the terminal, the verdict of the comparison still shows there.
    if (!entry.comparison.empty() && !text_on_stdout) std::fprintf(stderr, "%s\n", entry.comparison.c_str());
  }
  if (several) write_text([&](const report::TextOptions&) { return report::RenderSummary(run, !stable); });
  for (const Output& output : outputs) {
    if (output.format != "text") std::fputs(RenderRun(output.format, run).c_str(), output.stream);
  }
  for (const result::FileResult& entry : run.files) {
    if (entry.status != result::FileStatus::kNotChecked) continue;
    std::fprintf(stderr, "racecheck: not checked (interrupted): %s\n", entry.file.c_str());
    exit_code = Combine(exit_code, kExitInconclusive);
  }
  if (!CloseOutputs(outputs, error)) {
    std::fprintf(stderr, "racecheck: %s\n", error.c_str());
    return kExitUsage;
  }
  return FinishOutput(exit_code);
}

}  // namespace racecheck::driver
