// The command line as a user (or a CI job) meets it: the built racecheck binary run in a
// shell, for what only a real process shows: exit codes, stderr, signals, unwritable stdout.
// Cases from issue 13's adversarial run.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct ShellRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

ShellRun Shell(const std::string& command) {
  ShellRun run;
  FILE* pipe = popen(("{ " + command + "; } 2>&1").c_str(), "r");
  if (!pipe) return run;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string Racecheck() { return RACECHECK_BINARY; }
std::string Model(const std::string& name) { return std::string(RACECHECK_SOURCE_DIR) + "/models/" + name; }

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("racecheck_cli_test_" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(Cli, LimitOptionsRefuseValuesThatAreNoLimit) {
  for (const char* option : {"--max-states -5", "--max-states 18446744073709551617", "--max-states 1e3",
                             "--max-memory -1", "--max-memory 12Q", "--max-seconds nan", "--max-seconds inf",
                             "--max-seconds -1", "--max-seconds ''"}) {
    ShellRun run = Shell(Racecheck() + " -q " + option + " " + Model("withdraw.cr"));
    EXPECT_EQ(run.exit_code, 2) << option << "\n" << run.out;
    EXPECT_NE(run.out.find("racecheck: --max-"), std::string::npos) << option << "\n" << run.out;
  }
  for (const char* option : {"--max-states 0", "--max-memory 100M", "--max-memory 2GiB", "--max-seconds 1.5"}) {
    ShellRun run = Shell(Racecheck() + " -q " + option + " " + Model("withdraw.cr"));
    EXPECT_EQ(run.exit_code, 0) << option << "\n" << run.out;
  }
}

TEST(Cli, AFolderWithASymbolicLinkLoopChecksTheRest) {
  TempDir dir;
  fs::create_symlink("x.txt", dir.path() / "x.txt");
  fs::create_symlink("y.cr", dir.path() / "y.cr");
  fs::copy_file(Model("withdraw.cr"), dir.path() / "withdraw.cr");
  ShellRun run = Shell(Racecheck() + " -q " + dir.path().string());
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("VIOLATION (expected) conservation"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("skipped " + (dir.path() / "y.cr").string()), std::string::npos) << run.out;
}

TEST(Cli, EndlessInputStopsAtTheSizeLimit) {
  ShellRun run = Shell(Racecheck() + " /dev/zero");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("/dev/zero is larger than 1048576 bytes"), std::string::npos) << run.out;
  ShellRun parse = Shell("yes 'model m' | " + Racecheck() + " parse /dev/stdin");
  EXPECT_EQ(parse.exit_code, 2) << parse.out;
  EXPECT_NE(parse.out.find("is larger than 1048576 bytes"), std::string::npos) << parse.out;
}

TEST(Cli, AReportThatCannotBeWrittenIsAnError) {
  ShellRun full = Shell(Racecheck() + " -q " + Model("withdraw.cr") + " >/dev/full");
  EXPECT_EQ(full.exit_code, 2) << full.out;
  EXPECT_NE(full.out.find("cannot write the text report to standard output"), std::string::npos) << full.out;
  ShellRun closed = Shell(Racecheck() + " -q " + Model("withdraw.cr") + " >&-");
  EXPECT_EQ(closed.exit_code, 2) << closed.out;
  ShellRun parse = Shell(Racecheck() + " parse " + Model("withdraw.cr") + " >/dev/full");
  EXPECT_EQ(parse.exit_code, 2) << parse.out;
}

TEST(Cli, SetOnAParamSaysWhatAParamIs) {
  ShellRun run = Shell(Racecheck() + " -q --set amount=5 " + Model("withdraw_param.cr"));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_NE(run.out.find("'amount' is a param, not a constant"), std::string::npos) << run.out;
}

TEST(Cli, AFolderSummaryNamesTheModelsWithErrors) {
  TempDir dir;
  fs::copy_file(Model("withdraw.cr"), dir.path() / "a_withdraw.cr");
  fs::copy_file(Model("withdraw_mutex.cr"), dir.path() / "b_withdraw_mutex.cr");
  std::ofstream(dir.path() / "c_broken.cr") << "model m\nprocess P { x = 1 }\n";
  ShellRun run = Shell(Racecheck() + " -q --stable " + dir.path().string());
  EXPECT_EQ(run.exit_code, 2) << run.out;
  size_t row = run.out.find("\n" + (dir.path() / "c_broken.cr").string() + "  ");
  ASSERT_NE(row, std::string::npos) << run.out;
  EXPECT_NE(run.out.substr(row, run.out.find('\n', row + 1) - row).find("  -  ") , std::string::npos) << run.out;
  EXPECT_NE(run.out.substr(row, run.out.find('\n', row + 1) - row).find("model error"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\n3 files: 2 checked (2 as expected), 1 with model errors\n"), std::string::npos) << run.out;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Issue 14: text on the terminal and JUnit, SARIF and JSON into files, in one run.
TEST(Cli, FormatsPairWithOutputsInOrder) {
  TempDir dir;
  fs::path junit = dir.path() / "report.xml", sarif = dir.path() / "report.sarif", json = dir.path() / "report.json";
  ShellRun run = Shell(Racecheck() + " -q --stable --format text --output - --format junit --output " + junit.string() +
                       " --format sarif --output " + sarif.string() + " --format json --output " + json.string() + " " +
                       Model("withdraw.cr"));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out.rfind("VIOLATION (expected) conservation", 0), 0u) << run.out;
  EXPECT_NE(ReadAll(junit).find("<testcase classname="), std::string::npos);
  EXPECT_NE(ReadAll(sarif).find("\"version\": \"2.1.0\""), std::string::npos);
  EXPECT_EQ(ReadAll(json).rfind("{\n  \"schema_version\": 2,", 0), 0u);

  // Without --format, one --output holds the text report.
  fs::path text = dir.path() / "report.txt";
  run = Shell(Racecheck() + " -q --stable --output " + text.string() + " " + Model("withdraw.cr"));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(ReadAll(text).rfind("VIOLATION (expected) conservation", 0), 0u);

  // With --html too: the lone --output is still the text report's, and the page goes to its file.
  fs::path page = dir.path() / "run.html", quiet = dir.path() / "quiet.txt";
  run = Shell(Racecheck() + " -q --stable --html " + page.string() + " --output " + quiet.string() + " " +
              Model("withdraw.cr"));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(ReadAll(quiet).rfind("VIOLATION (expected) conservation", 0), 0u);
  EXPECT_NE(ReadAll(page).find("<html"), std::string::npos);
}

TEST(Cli, FormatsAndOutputsThatDoNotPairAreUsageErrors) {
  const std::string model = " " + Model("withdraw.cr");
  struct Case {
    std::string arguments;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"--format text --format junit", "--format is given 2 times and --output not at all"},
           {"--format junit --output a.xml --output b.xml", "--format is given once and --output 2 times"},
           {"--output a.txt --output b.txt", "--output is given 2 times and --format not at all"},
           {"--format text --output - --format json --output -", "--format text and --format json both go to standard output"},
           {"--format pdf", "--format: pdf not in {text,json,junit,sarif,github,html}"},
           {"--format junit --output /nonexistent/dir/report.xml", "--output /nonexistent/dir/report.xml: cannot write the junit report there"},
       }) {
    ShellRun run = Shell(Racecheck() + " -q " + c.arguments + model);
    EXPECT_EQ(run.exit_code, 2) << c.arguments << "\n" << run.out;
    EXPECT_NE(run.out.find(c.message), std::string::npos) << c.arguments << "\n" << run.out;
    EXPECT_EQ(run.out.find("VIOLATION"), std::string::npos) << c.arguments << "\n" << run.out;
  }
}

// The option parser's errors read as racecheck's own: the prefix, plain words, exit 2.
TEST(Cli, OptionParserErrorsAreRacechecksUsageErrors) {
  const std::string model = " " + Model("withdraw.cr");
  for (const auto& [arguments, message] : std::vector<std::pair<std::string, std::string>>{
           {"--max-seconds 1 --max-seconds 2", "racecheck: --max-seconds is given 2 times; it takes one value\n"},
           {"--engine bogus", "racecheck: --engine: bogus not in {explicit,z3,both,auto}\n"},
           {"--bogus", "racecheck: The following argument was not expected: --bogus\n"},
       }) {
    ShellRun run = Shell(Racecheck() + " -q " + arguments + model);
    EXPECT_EQ(run.exit_code, 2) << arguments << "\n" << run.out;
    EXPECT_NE(run.out.find(message + "(racecheck --help lists the options)"), std::string::npos) << arguments << "\n"
                                                                                                  << run.out;
  }
}

// One JSON shape for every run: a folder holding one file gives the same object as many, and
// a model with errors is a result of its own.
TEST(Cli, JsonIsOneObjectWithModelErrorsAsResults) {
  TempDir dir;
  fs::create_directories(dir.path() / "one");
  fs::copy_file(Model("withdraw.cr"), dir.path() / "one" / "withdraw.cr");
  ShellRun one = Shell(Racecheck() + " -q --stable --format json " + (dir.path() / "one").string() + " 2>/dev/null");
  EXPECT_EQ(one.exit_code, 0) << one.out;
  EXPECT_EQ(one.out.rfind("{\n  \"schema_version\": 2,", 0), 0u) << one.out;
  EXPECT_NE(one.out.find("\"files\": 1,"), std::string::npos) << one.out;

  std::ofstream(dir.path() / "one" / "z_broken.cr") << "model m\nprocess P { x = 1 }\n";
  ShellRun two = Shell(Racecheck() + " -q --stable --format json " + (dir.path() / "one").string() + " 2>/dev/null");
  EXPECT_EQ(two.exit_code, 2) << two.out;
  EXPECT_NE(two.out.find("\"model_errors\": 1,"), std::string::npos) << two.out;
  EXPECT_NE(two.out.find("\"status\": \"model_error\""), std::string::npos) << two.out;
  EXPECT_NE(two.out.find("\"line\": 2,\n          \"column\": 13,"), std::string::npos) << two.out;
}

TEST(Cli, CtrlCStopsTheSearchWithAnInconclusiveReport) {
  // A search of several minutes; SIGINT after half a second must end it at once with a report.
  TempDir dir;
  std::ofstream(dir.path() / "long.cr")
      << "model m\nshared x = 0\nprocess P[12] { let i = 0\n while i < 6 { x += 1\n i = i + 1 } }\n";
  std::string model = (dir.path() / "long.cr").string();
  ShellRun run = Shell("timeout -s KILL 60 sh -c '" + Racecheck() + " -q " + model + " & pid=$!; sleep 0.5; kill -INT $pid; wait $pid'");
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_NE(run.out.find("INCONCLUSIVE"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("interrupted"), std::string::npos) << run.out;
}

}  // namespace
