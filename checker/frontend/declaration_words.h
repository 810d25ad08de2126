// The words that start a top-level declaration: where parsing starts afresh after a syntax
// error, and what tells a block left open from a statement.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace racecheck::frontend {

// `lock` and `redis` also start statements (`lock mu { }`, `redis.GET(k)`); the others never do.
inline bool StartsDeclarationOnly(std::string_view word) {
  static constexpr std::array<std::string_view, 15> kWords = {
      "model", "runtime", "const", "param", "shared", "ghost", "enum", "table",
      "process", "fn", "invariant", "final", "cover", "allow", "expect"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

inline bool StartsDeclaration(std::string_view word) {
  return word == "lock" || word == "redis" || (word != "model" && StartsDeclarationOnly(word));
}

}  // namespace racecheck::frontend
