// Which instances of a process declaration the model cannot tell apart, so that the explicit
// engine may store one state per orbit (docs/semantics.md, "Symmetry").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::ir {

// A slot that may hold a token of a process (self + c, docs/semantics.md "Symmetry"): the value
// is one only when the slot is in use (present_slot is -1 or holds non-zero: a plain Redis key's
// value slot counts only while the key is present, a column's value only while its row version
// exists).
// A local of a process may hold a token only at some pcs (ir::AssignedAt: it starts, and is
// cleared, at 0, which may be a token's value): then pc_slot is its instance's pc and at_pcs says
// per pc whether it holds one (kAssignedHere), holds 0 (kZeroHere; kDonePc too) or is dead
// (kDeadHere: out of its scope, where the representative clears it).
struct TokenSlot {
  TokenSlot() = default;
  TokenSlot(int32_t slot_, int32_t present_slot_, int32_t pc_slot_ = -1,
            std::shared_ptr<const std::vector<char>> at_pcs_ = nullptr)
      : slot(slot_), present_slot(present_slot_), pc_slot(pc_slot_), at_pcs(std::move(at_pcs_)) {}
  int32_t slot = 0;
  int32_t present_slot = -1;
  int32_t pc_slot = -1;
  std::shared_ptr<const std::vector<char>> at_pcs;
  bool operator==(const TokenSlot&) const = default;
};

// The tokens of a process whose instances are interchangeable although its code uses `self`: the
// values token_base + self, made only by `self + token_base` and copied or compared for equality.
// Renaming instance i to j renames token_base + i to token_base + j in the token slots.
struct SymmetryTokens {
  bool any = false;
  Value base = 0;                    // c: instance self's token is c + self
  std::vector<TokenSlot> slots;      // every slot that may hold one (ascending), locals of every instance included
  std::vector<int32_t> block_offsets;  // the process's own locals that may hold one, as offsets in its blocks
  // Those of block_offsets that hold one only at some pcs of the block's own pc (TokenSlot::at_pcs).
  std::map<int32_t, std::shared_ptr<const std::vector<char>>> offset_pcs;
};

// Instances of one process that are interchangeable: any permutation of their blocks (with every
// slot that names one of them renamed alike) maps a reachable state to a reachable state, and
// keeps every property's value.
struct SymmetryGroup {
  int32_t process = 0;
  std::vector<int32_t> instances;  // indices into Program::instances, ascending, at least 2
  std::string name;                // "W[0..6]", or "W[0], W[2], W[4]" when not consecutive
  SymmetryTokens tokens;           // the same for every group of the process
};

// The symmetric groups, and why a process has none (for the report, tests and docs).
struct SymmetryAnalysis {
  std::vector<SymmetryGroup> groups;
  std::vector<std::string> reasons;  // one per process: "" or why it is not symmetric
  std::vector<int32_t> reason_lines;  // one per process: the source line that shows why, or 0
  std::vector<std::string> names;     // one per process: its instances, "W[0..6]"
};

// Finds the symmetric groups, conservatively: a process whose code, parameters, SQL or Redis
// arguments evaluate `self` has none (self tells instances apart: array and key indices, locks
// per instance, values), except to name its own takes region (region[self], which moves with
// the instance) and to make tokens `self + c` that the whole program only copies and compares
// for equality (SymmetryTokens); instances on different replicas are in different groups; a
// property that reads `self` or a local leaves none.
SymmetryAnalysis FindSymmetry(const Program& program);

}  // namespace racecheck::ir
