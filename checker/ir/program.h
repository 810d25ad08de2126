// The compiled model: a flat, slot-indexed program that both engines run.
// Engines never see the AST; everything they need (names for reports included) is here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/base/source.h"

namespace racecheck::ir {

// Every value in a state is one 32-bit slot; bools are 0 or 1.
using Value = int32_t;

enum class Runtime { kThreads, kEventLoop };

// ---------------------------------------------------------------------------
// State layout (see docs/internals-state.md):
//   [ params | shared vars (x replica copies) | ghost vars | locks (x replica copies) |
//     replica_busy (event_loop with replicas > 1 only) ]
//   then one block per process instance: [ pc | locals... ], all instances of one
//   process declaration with the same block layout, so that symmetry reduction can
//   permute them without knowing anything else.
// ---------------------------------------------------------------------------

enum class VarKind { kShared, kGhost };

// A shared or ghost variable: a scalar or an array indexed lo..lo+size-1.
struct Variable {
  std::string name;
  VarKind kind = VarKind::kShared;
  bool is_bool = false;
  bool is_array = false;
  int32_t index_lo = 0;
  int32_t size = 1;
  // In-process shared memory exists once per replica; ghosts and single-replica models have 1.
  int32_t copies = 1;
  // Slot of copy 0, element index_lo. Copy r, element i lives at first_slot + r*size + (i - index_lo).
  int32_t first_slot = 0;
  std::vector<Value> initial;  // size values, the same for every copy
  base::SourceRange range;
};

// A mutex (or an array of them); the slot holds 0 when free, owner instance + 1 when held.
struct Lock {
  std::string name;
  bool is_array = false;
  int32_t index_lo = 0;
  int32_t size = 1;
  int32_t copies = 1;
  int32_t first_slot = 0;
  base::SourceRange range;
};

// A global `param NAME in lo..hi`: the environment picks one value before anything runs.
struct Param {
  std::string name;
  Value lo = 0;
  Value hi = 0;
  int32_t slot = 0;
  base::SourceRange range;
};

// ---------------------------------------------------------------------------
// Expressions: a pool of nodes in Program::exprs, children by index. They read locals,
// constants, `self`, params and ghosts freely; shared variables are read only by
// kRead instructions, except in properties, which look at a whole state at once.
// ---------------------------------------------------------------------------

enum class ExprOp {
  kConst,     // value
  kLocal,     // local slot `index` of the running instance
  kSelf,      // the instance number within its process declaration
  kGlobal,    // variable `var`, element a (or lo when a == -1), copy of the running replica
  kParam,     // global param `index` (Program::params[index]), the same in every replica
  kNeg,       // -a
  kNot,       // not a
  kAdd, kSub, kMul, kDiv, kMod,
  kLt, kLe, kGt, kGe, kEq, kNe,
  kAnd, kOr,  // short-circuit
  kMin, kMax, // min(a, b), max(a, b)
  kAbs,       // abs(a)
};

struct Expr {
  ExprOp op = ExprOp::kConst;
  Value value = 0;
  int32_t index = -1;
  int32_t var = -1;
  int32_t a = -1;
  int32_t b = -1;
};

// ---------------------------------------------------------------------------
// Instructions of one process declaration. A "visible" instruction touches state that
// other processes can see; a step is one visible instruction plus the local work after
// it (docs/semantics.md). Every instruction knows its variable, so read and write sets
// are static, for partial-order reduction.
// ---------------------------------------------------------------------------

enum class Op {
  kLet,          // local[dst] = expr                                   (local)
  kRead,         // local[dst] = var[index]                              (visible)
  kWrite,        // var[index] = expr                                    (visible)
  kGhostWrite,   // ghost var[index] = expr, rides along with its step   (local)
  kAcquire,      // lock[index]: blocks while another instance holds it  (visible)
  kRelease,      // lock[index]: must be held by this instance           (visible)
  kAtomicBegin,  // everything up to the matching kAtomicEnd is one step (visible)
  kAtomicEnd,    //                                                      (local)
  kAwait,        // event_loop: the task yields here; threads: nothing   (local)
  kJump,         // pc = target                                          (local)
  kBranchFalse,  // if not expr: pc = target                             (local)
  kAssert,       // a violation when expr is false                       (local)
  kAssume,       // the run is discarded when expr is false              (local)
  kChoose,       // local[dst] = any value in lo..hi (a branch of the search) (local)
  kEnd,          // the instance has finished                            (local)
};

struct Instr {
  Op op = Op::kEnd;
  int32_t dst = -1;        // local slot written (kLet, kRead, kChoose)
  int32_t var = -1;        // variable (kRead, kWrite, kGhostWrite) or lock (kAcquire, kRelease)
  int32_t index = -1;      // expr: element index, -1 for scalars
  int32_t expr = -1;       // expr: value written, condition, or chosen lower bound
  int32_t expr2 = -1;      // expr: chosen upper bound (kChoose)
  int32_t target = -1;     // jump target (kJump, kBranchFalse)
  int32_t statement = -1;  // index into Program::statements, for traces
  std::string message;     // kAssert: the user's message
};

// The source of one statement, so traces can show "line 9: balance = b - amount".
struct Statement {
  base::SourceRange range;
  std::string text;
};

// A per-instance parameter: a default value (may use `self`) or a range the environment picks from.
struct ProcessParam {
  std::string name;
  int32_t local = 0;
  bool is_range = false;
  int32_t value_expr = -1;  // default value (is_range false)
  int32_t lo_expr = -1;     // range bounds (is_range true)
  int32_t hi_expr = -1;
};

struct Process {
  std::string name;
  int32_t instance_count = 1;
  std::vector<Instr> code;
  std::vector<std::string> local_names;
  std::vector<bool> local_is_bool;
  std::vector<ProcessParam> params;
  base::SourceRange range;
};

// One running copy of a process: the unit that takes steps.
struct Instance {
  int32_t process = 0;
  int32_t self = 0;        // instance number within its declaration
  int32_t replica = 0;
  int32_t base_slot = 0;   // slot of its pc; locals follow
  std::string display_name;  // "Withdraw[0]"
};

enum class PropertyKind { kInvariant, kFinal, kCover };

struct Property {
  PropertyKind kind = PropertyKind::kInvariant;
  std::string name;
  int32_t expr = -1;         // evaluated with no running instance, on replica copy 0..copies-1
  std::string text;          // the expression as written, constants folded
  std::vector<int32_t> vars; // variables it mentions, for "(balance = 20, withdrawn = 160)"
  base::SourceRange range;
};

enum class ExpectKind { kNone, kSafe, kDeadlock, kViolation };

struct Expectation {
  ExpectKind kind = ExpectKind::kNone;
  std::vector<std::string> properties;  // kViolation: the names expected to be violated
};

// What a slot is, for reports: "balance", "acct[1]", "Withdraw[0].b", "lock mu".
struct SlotInfo {
  std::string name;
  bool is_bool = false;
  bool is_pc = false;
  bool is_lock = false;   // 0 free, else owner instance + 1
  bool hidden = false;    // compiler temporaries: never shown in traces
  int32_t instance = -1;  // owning instance for pc and locals, -1 for globals
};

// Program counter value of an instance that has finished.
inline constexpr Value kDonePc = -1;

struct Program {
  std::string name;
  std::string file;
  Runtime runtime = Runtime::kThreads;
  int32_t replicas = 1;
  std::vector<Variable> vars;
  std::vector<Lock> locks;
  std::vector<Param> params;
  std::vector<Process> processes;
  std::vector<Instance> instances;
  std::vector<Expr> exprs;
  std::vector<Statement> statements;
  std::vector<Property> properties;
  bool allow_deadlock = false;
  Expectation expect;
  // First slot of replica_busy (one per replica), or -1 when the runtime needs none.
  int32_t replica_busy_slot = -1;
  int32_t slot_count = 0;
  std::vector<SlotInfo> slots;
};

}  // namespace racecheck::ir
