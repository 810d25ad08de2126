// ASCII upper and lower case of a word (keywords, Redis commands and options are ASCII).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace racecheck::frontend {

inline std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

inline std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

}  // namespace racecheck::frontend
