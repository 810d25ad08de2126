#include "checker/driver/outputs.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace racecheck::driver {
namespace {

constexpr const char* kPairing =
    "give one --output per --format, in the same order, as in --format text --output - --format junit --output "
    "report.xml (- is standard output)";

std::string Where(const std::string& path) { return path == "-" ? "standard output" : path; }

}  // namespace

bool PairOutputs(const std::vector<std::string>& formats, const std::vector<std::string>& paths,
                 std::vector<Output>& outputs, std::string& error) {
  outputs.clear();
  if (paths.empty()) {
    if (formats.size() > 1) {
      error = fmt::format("--format is given {} times and --output not at all: {}", formats.size(), kPairing);
      return false;
    }
    outputs.push_back({formats.empty() ? "text" : formats.front(), "-"});
    return true;
  }
  if (formats.empty() && paths.size() > 1) {
    error = fmt::format("--output is given {} times and --format not at all: {}", paths.size(), kPairing);
    return false;
  }
  if (!formats.empty() && formats.size() != paths.size()) {
    error = fmt::format("--format is given {} and --output {}: {}",
                        formats.size() == 1 ? std::string("once") : fmt::format("{} times", formats.size()),
                        paths.size() == 1 ? std::string("once") : fmt::format("{} times", paths.size()), kPairing);
    return false;
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string format = formats.empty() ? "text" : formats[i];
    if (paths[i].empty()) {
      error = fmt::format("--output for --format {} is empty: write a file name, or - for standard output", format);
      return false;
    }
    for (const Output& earlier : outputs) {
      if (earlier.path == paths[i]) {
        error = fmt::format("--format {} and --format {} both go to {}: give each its own --output", earlier.format,
                            format, Where(paths[i]));
        return false;
      }
    }
    outputs.push_back({format, paths[i]});
  }
  return true;
}

bool OpenOutputs(std::vector<Output>& outputs, std::string& error) {
  for (Output& output : outputs) {
    if (output.path == "-") {
      output.stream = stdout;
      continue;
    }
    output.stream = std::fopen(output.path.c_str(), "w");
    if (output.stream == nullptr) {
      error = fmt::format("--output {}: cannot write the {} report there: {}", output.path, output.format,
                          std::strerror(errno));
      return false;
    }
  }
  return true;
}

bool CloseOutputs(std::vector<Output>& outputs, std::string& error) {
  bool ok = true;
  for (Output& output : outputs) {
    if (output.stream == nullptr) continue;
    bool failed = std::fflush(output.stream) != 0 || std::ferror(output.stream);
    int saved = errno;
    if (output.stream != stdout && std::fclose(output.stream) != 0) failed = true;
    output.stream = nullptr;
    if (failed && ok) {
      error = fmt::format("cannot write the {} report to {}: {}", output.format, Where(output.path),
                          std::strerror(saved != 0 ? saved : errno));
      ok = false;
    }
  }
  return ok;
}

}  // namespace racecheck::driver
