// What racecheck says about a misplaced `await`: the AST builder (before an expression that is no
// call), the resolver and the structure check (under `runtime threads`) give the same words.
#pragma once

namespace racecheck::frontend {

inline constexpr const char* kAwaitNeedsACall =
    "'await' goes before a query, a Redis command or a fn call, whose answer comes later; to let other tasks run "
    "here, write 'await' on a line of its own";
inline constexpr const char* kAwaitUnderThreads =
    "'await' means nothing under 'runtime threads', where every call is already a point where others may run; "
    "declare 'runtime event_loop' or remove it";

}  // namespace racecheck::frontend
