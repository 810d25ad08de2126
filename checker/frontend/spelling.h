// Words typed wrong: how far one is from a word racecheck knows.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace racecheck::frontend {

// The edit distance between two short words (insertions, deletions and substitutions).
inline size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The first of `known` within two edits of `word` that `accept` takes, or "" (a "did you mean").
template <typename Words, typename Accept>
std::string NearestWord(const std::string& word, const Words& known, Accept accept) {
  for (const auto& candidate : known) {
    if (EditDistance(word, candidate) <= 2 && accept(candidate)) return candidate;
  }
  return "";
}

template <typename Words>
std::string NearestWord(const std::string& word, const Words& known) {
  return NearestWord(word, known, [](const auto&) { return true; });
}

}  // namespace racecheck::frontend
