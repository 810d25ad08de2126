// Messages about Redis code that more than one check of the front end gives.
#pragma once

#include <fmt/format.h>

#include <string>

namespace racecheck::frontend {

// `redis.EVAL("return ...", 1, k)`, as client libraries call a script, whether the parser or the
// type checker meets it first.
inline std::string ScriptAsBlockMessage(const std::string& instance) {
  return fmt::format("a Lua script is written as a block of the commands it runs: '{0}.eval {{ let v = {0}.GET(k) "
                     "... }}' runs them in one step, as Redis runs a script",
                     instance);
}

}  // namespace racecheck::frontend
