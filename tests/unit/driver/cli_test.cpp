// The command line as a user (or a CI job) meets it: the built racecheck binary run in a
// shell, for what only a real process shows: exit codes, stderr, signals, unwritable stdout.
// Cases from issue 13's adversarial run.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

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
  EXPECT_NE(full.out.find("cannot write the report"), std::string::npos) << full.out;
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
  EXPECT_NE(run.out.find("not checked (errors above): " + (dir.path() / "c_broken.cr").string()), std::string::npos)
      << run.out;
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
