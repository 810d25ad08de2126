// The code of each instance unrolled into a finite graph without cycles. A loop whose trip count
// the constants decide (`retry at most K`, a counting loop over a local) is unrolled exactly;
// any other loop to the --unroll bound. Design: docs/z3-encoding.md, "Unrolling".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::symbolic {

// Where a path through a node's instruction goes next.
enum class EdgeKind {
  kNone,         // nowhere: the instruction has no such exit, or the constants rule it out
  kNode,         // to node `node`
  kBound,        // into one iteration more than the unrolling bound: the run is not followed
  kLoopForever,  // around a loop that can never make a step again: a runtime error
};

struct Edge {
  EdgeKind kind = EdgeKind::kNone;
  int32_t node = -1;
};

// A program point of one instance: a pc and how often each loop around it has come round.
struct Node {
  int32_t pc = 0;                   // ir::kDonePc for the node of the finished instance
  std::vector<int32_t> iterations;  // of the loops around pc, outermost first
  // Per local: whether every path to this node gives it the same value, and that value.
  std::vector<bool> known;
  std::vector<int64_t> value;
  Edge next;  // the fallthrough, the jump's target, or the true side of kBranchFalse
  Edge alt;   // the false side of kBranchFalse
};

struct UnrolledInstance {
  // Topological order: every edge leads to a node with a larger index. Node 0 is pc 0; the
  // finished node is last.
  std::vector<Node> nodes;
  int32_t done = -1;
};

struct Unrolled {
  std::vector<UnrolledInstance> instances;
  // Source lines of loops that were cut at the bound (kBound edges exist), ascending.
  std::vector<int> bounded_loop_lines;
  // Non-empty when the code cannot be unrolled: what, in words.
  std::string problem;
};

// Loops a run may go round more often than this are cut there, as if by --unroll.
inline constexpr int32_t kMaxExactIterations = 1000;
// Nodes one instance may unroll to before the model counts as too large for this engine.
inline constexpr size_t kMaxNodesPerInstance = 200'000;

// Unrolls every instance; loops the constants do not bound go round at most `bound` times.
Unrolled Unroll(const ir::Program& program, int32_t bound);

// The value of `expr` when it depends only on constants, `self` and known locals; false when it
// depends on anything else or would fail at run time (then the run decides, not the unrolling).
bool ConstValue(const ir::Program& program, int32_t expr, int32_t self, const std::vector<bool>& known,
                const std::vector<int64_t>& value, int64_t* out);

// A binary operator (not `and`/`or`) on two known values, as the explicit engine computes it
// (ir/arith.h); false when it fails (division by zero, an arithmetic result outside 32 bits).
bool FoldBinary(ir::ExprOp op, int64_t a, int64_t b, int64_t* out);

}  // namespace racecheck::symbolic
