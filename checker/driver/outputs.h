// Where each report format goes: `--format` and `--output` pair up in the order given, so one
// run can print text on the terminal and write JUnit and SARIF files. docs/cli.md, "Outputs".
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace racecheck::driver {

inline constexpr const char* kFormats[] = {"text", "json", "junit", "sarif", "github", "html"};

struct Output {
  std::string format;  // one of kFormats
  std::string path;    // "-" for standard output
  std::FILE* stream = nullptr;  // set by OpenOutputs
};

// The n-th --format goes to the n-th --output. No --output: one format, on standard output
// (text when --format is not given either). No --format: one --output, holding text. False
// (with a usage message in error) when the counts differ, two formats share standard output or
// a file, or a path is empty.
bool PairOutputs(const std::vector<std::string>& formats, const std::vector<std::string>& paths,
                 std::vector<Output>& outputs, std::string& error);

// Opens every file before any model is checked, so a path that cannot be written ends the run
// at once rather than after the check.
bool OpenOutputs(std::vector<Output>& outputs, std::string& error);

// Flushes and closes them; false (with error) when one could not be written in full.
bool CloseOutputs(std::vector<Output>& outputs, std::string& error);

}  // namespace racecheck::driver
