// What racecheck says about a misplaced `await`, in one place: the AST builder (before an
// expression that is no call), the resolver (before a built-in function) and the structure check
// (under `runtime threads`, inside a transaction).
#pragma once

namespace racecheck::frontend {

inline constexpr const char* kAwaitNeedsACall =
    "'await' goes before a query, a Redis command or a fn call, whose answer comes later; to let other tasks run "
    "here, write 'await' on a line of its own";
inline constexpr const char* kAwaitUnderThreads =
    "'await' means nothing under 'runtime threads', where every call is already a point where others may run; "
    "declare 'runtime event_loop' or remove it";
// A bare `await` (a yield on its own line).
inline constexpr const char* kBareAwaitUnderThreads =
    "'await' means nothing under 'runtime threads', where every shared access is already a point where others may "
    "run; declare 'runtime event_loop' or remove it";
inline constexpr const char* kBareAwaitInTransaction =
    "a bare 'await' inside a transaction is not modelled: other tasks already run at each of its statements (each "
    "one is awaited), so an outside call between two of them (an HTTP request) matters only to the memory work "
    "around it, which stays one step; put the 'await' and that work before or after the transaction";

}  // namespace racecheck::frontend
