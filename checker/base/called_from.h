#pragma once

#include <fmt/format.h>

#include <string>

namespace racecheck::base {

// " (in fn 'take', called from line 16)" for code copied from a fn's body, innermost call
// first (ast::CallSite or result::CallSite, both with `function` and `line`); "" for code
// written where it stands. Errors at such code say which call put it there, since the same
// body may be fine at another call.
template <typename Calls>
std::string CalledFromText(const Calls& calls) {
  std::string where;
  for (const auto& call : calls) {
    where += fmt::format("{} fn '{}', called from line {}", where.empty() ? " (in" : ", in", call.function, call.line);
  }
  return where.empty() ? where : where + ")";
}

}  // namespace racecheck::base
