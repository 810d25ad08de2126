// Engine-neutral results: what any engine found, in terms a reporter can render without
// knowing which engine ran. Values are already formatted ("100", "true").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace racecheck::result {

enum class Verdict { kSafe, kViolation, kDeadlock, kInconclusive };

enum class ViolationKind {
  kInvariant,     // an `invariant` is false in a reachable state
  kFinal,         // a `final` property is false in a state where every process finished
  kAssert,        // an `assert` inside a process failed
  kDeadlock,      // nobody can move and somebody has not finished
  kCover,         // a `cover` property holds in no reachable state
  kRuntimeError,  // division by zero, index out of range, overflow, releasing a lock not held
  kFailure,       // a database transaction failed (serialization, deadlock, unique key) and nothing handles it
};

// One changed value in a step: "balance 100 -> 20" or a local "b = 100" (old empty when new).
struct Change {
  std::string name;
  std::string old_value;
  std::string new_value;
  bool local = false;  // a process's own local (or the value it read into one), not shared state
  // A ghost updated by a statement of the step other than the one that names it: its line.
  int line = 0;
};

// A fn call a statement was inlined from (innermost first in a list): the fn and the call's line.
struct CallSite {
  std::string function;
  int line = 0;
};

// "line 12", or for a statement inlined from fns "line 12 in acquire, called from line 30".
inline std::string LineText(int line, const std::vector<CallSite>& called_from) {
  std::string text = "line " + std::to_string(line);
  for (const CallSite& call : called_from) text += " in " + call.function + ", called from line " + std::to_string(call.line);
  return text;
}

struct Step {
  int number = 0;           // 1-based; 0 is the initial state (parameter choices)
  std::string process;      // "Withdraw[1]"; empty for the initial state
  int line = 0;
  std::string statement;    // the source text of the statement that made the step
  std::vector<Change> changes;
  std::vector<CallSite> called_from;  // when the statement is a fn's: the calls, innermost first
};

struct NamedValue {
  std::string name;
  std::string value;
};

struct Violation {
  ViolationKind kind = ViolationKind::kInvariant;
  std::string property;     // the property's name; "deadlock" for deadlocks; "assert" line for asserts
  std::string message;      // one plain line: "balance + withdrawn == 100 is false"
  // Where it is reported: the declaration of its property (invariant, final, cover, also for a
  // runtime error while evaluating one), the failing statement (assert, runtime error, unhandled
  // failure); 0 for a deadlock, which has no line of its own.
  int line = 0;
  std::vector<NamedValue> values;  // values it mentions in the violating state
  std::vector<Step> trace;  // shortest run (BFS) from the initial state to the violation
  std::vector<std::string> blocked;  // deadlock: "Transfer[0] waits for lock row[2] held by Transfer[1]"
  // What the run shows, in the words engineers search for, with why; empty when the engine
  // has nothing to say: "lost update: Withdraw[1] overwrote Withdraw[0]'s update of ...".
  std::string explanation;
};

// Something the engine saw that the verdict does not say: shown as a warning at the line.
struct EngineWarning {
  int line = 0;
  int column = 0;
  std::string message;
};

// Both engines' words for a final property no run reached the end to look at.
inline std::string FinalNeverEvaluated(const std::string& name, bool allow_deadlock) {
  return "final " + name + " is never evaluated: no run ends with every instance done (each ends with an instance "
         "waiting forever" + std::string(allow_deadlock ? ", which 'allow deadlock' accepts" : "") +
         ", or goes on forever); write it as an invariant, or let the processes finish";
}

// A process of several instances whose instances the explicit engine could not exchange
// (ir::FindSymmetry, docs/semantics.md "Symmetry").
struct SymmetryRefusal {
  std::string instances;  // "Doctor[0..2]"
  std::string reason;     // "a token is used as an index"
  int line = 0;           // the statement, parameter or property that shows it; 0 when none does alone
};

struct Stats {
  uint64_t states = 0;
  uint64_t transitions = 0;
  int depth = 0;
  double seconds = 0;
  uint64_t peak_memory_bytes = 0;
  // What synchronisation costs, for engines that count it (0 otherwise): states in which some
  // process waits for a lock (a mutex or a database row), and transitions in which a database
  // transaction failed (serialization, deadlock, duplicate key), whether handled or not.
  uint64_t blocked_states = 0;
  uint64_t failed_transactions = 0;
  // The explicit engine's partial-order reduction: states expanded by one instance's step alone.
  uint64_t reduced_expansions = 0;
  // The explicit engine: the threads that expanded states (0: not counted, as in golden runs).
  // Nothing else in the report depends on it.
  int threads = 0;
  // Engines that hand the question to a solver: the size of what they asked (0 otherwise).
  uint64_t solver_variables = 0;
  uint64_t solver_constraints = 0;
  // The conflicts of the solver's search over the whole run: its work, counted alike on any
  // machine (Z3's search is deterministic for one version of Z3).
  uint64_t solver_conflicts = 0;
  double solver_seconds = 0;
};

struct Expectation {
  bool declared = false;
  bool met = true;
  std::string expected;  // "violation conservation", "safe", "deadlock"
};

// A `cover` property that holds in some reachable state, with the shortest run reaching it.
// Shown only on request (--show-cover-traces); a cover that is never reached is a Violation.
struct CoverWitness {
  std::string property;
  std::vector<Step> trace;
};

struct Report {
  std::string model;
  std::string file;
  std::string engine;        // "explicit" or "z3"
  // --engine auto: why this engine gave the report ("78732 initial states (...), more than
  // 50000: the z3 engine checks every value at once"); empty otherwise.
  std::string engine_choice;
  std::string search;        // "bfs" or "dfs"
  Verdict verdict = Verdict::kSafe;
  std::vector<Violation> violations;
  int properties = 0;        // how many properties were checked (invariants, finals, covers, asserts, deadlock)
  bool deadlock_checked = false;  // deadlock freedom is among them (the model does not allow deadlock)
  std::string inconclusive_reason;  // "state limit of 1000 reached", ...
  // What a verdict covers, in words, when the engine says more than "every reachable state":
  // "every interleaving of runs of up to 8 steps and every value of amount in 1..1000000000".
  std::string scope;
  Stats stats;
  Expectation expectation;
  std::vector<CoverWitness> covers_reached;  // in declaration order; empty when not recorded
  std::vector<EngineWarning> warnings;        // never change the verdict
  // The search ended at its first violation (or deadlock): a property it does not report as
  // violated was not checked to the end (explicit engine without --all; the z3 engine always).
  bool stopped_at_first = false;
  // Groups of interchangeable instances the search stored one state per orbit of ("W[0..6]");
  // empty when none was reduced (no symmetry, --no-symmetry, or an engine without it).
  std::vector<std::string> symmetry;
  // With symmetry on, the processes of several instances it could not reduce, and why.
  std::vector<SymmetryRefusal> symmetry_refused;
};

}  // namespace racecheck::result
