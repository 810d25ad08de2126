#include "checker/driver/arguments.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace racecheck::driver {

bool ParseCount(const std::string& option, const std::string& text, uint64_t& out, std::string& error) {
  bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  errno = 0;
  unsigned long long value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE) {
    error = fmt::format("{} {}: write a whole number from 0 (no limit) to {}", option, text, UINT64_MAX);
    return false;
  }
  out = value;
  return true;
}

bool ParseSeconds(const std::string& option, const std::string& text, double& out, std::string& error) {
  char* end = nullptr;
  errno = 0;
  double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(value) || value < 0 ||
      std::isspace(static_cast<unsigned char>(text[0]))) {
    error = fmt::format("{} {}: write a number of seconds, 0 (no limit) or more, as in {} 60", option, text, option);
    return false;
  }
  out = value;
  return true;
}

bool ParseSize(const std::string& option, const std::string& text, uint64_t& out, std::string& error) {
  error = fmt::format("{} {}: write a size such as 512M, 4G or 100MiB (K, M, G, T count 1024s)", option, text);
  size_t k = 0;
  while (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '.')) ++k;
  std::string number = text.substr(0, k), unit = text.substr(k);
  if (number.empty() || std::count(number.begin(), number.end(), '.') > 1) return false;
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() > 1 && (unit.ends_with("IB") || unit.ends_with("B"))) unit = unit.substr(0, 1);
  static const std::string kUnits = "BKMGT";
  size_t power = unit.empty() ? 0 : kUnits.find(unit);
  if (unit.size() > 1 || power == std::string::npos) return false;
  double bytes = std::strtod(number.c_str(), nullptr) * std::pow(1024.0, static_cast<double>(power));
  if (!std::isfinite(bytes) || bytes >= 18446744073709551616.0) return false;
  out = static_cast<uint64_t>(bytes);
  error.clear();
  return true;
}

bool ExpandInputs(const std::vector<std::string>& inputs, std::vector<std::string>& files, std::string& notes,
                  std::string& error) {
  namespace fs = std::filesystem;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    auto skip = [&](const std::string& what, const std::error_code& why) {
      notes += fmt::format("racecheck: skipped {}: {}\n", what, why.message());
    };
    fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      error = fmt::format("cannot read the folder {}: {}", input, ec.message());
      return false;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        // The iterator cannot go on inside this folder; what was found so far stands.
        skip(input, ec);
        break;
      }
      const fs::directory_entry& entry = *it;
      if (entry.path().extension() != ".cr") continue;
      std::error_code entry_ec;
      bool regular = entry.is_regular_file(entry_ec);
      if (entry_ec) {
        skip(entry.path().string(), entry_ec);
      } else if (regular) {
        found.push_back(entry.path().string());
      }
    }
    if (found.empty()) {
      error = fmt::format("the folder {} holds no .cr models", input);
      return false;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return true;
}

}  // namespace racecheck::driver
