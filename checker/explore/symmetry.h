// Symmetry reduction: the representative of a state's orbit under permutations of the
// interchangeable instances (ir::FindSymmetry). Design: docs/internals-explore.md, "Symmetry".
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "checker/ir/assigned_locals.h"
#include "checker/ir/program.h"
#include "checker/ir/symmetry.h"

namespace racecheck::explore {

class Symmetry {
 public:
  Symmetry(const ir::Program& program, std::vector<ir::SymmetryGroup> groups);

  bool active() const { return !groups_.empty(); }
  const std::vector<ir::SymmetryGroup>& groups() const { return groups_; }

  // Writes into `out` (never `state`) the representative: within each group, the instance blocks
  // sorted (lexicographically, then by takes region in a timed model; ties in instance order),
  // the takes region slots moved with their blocks, every slot that names an instance renamed alike, dead locals cleared (ClearDead). The same state always gives the same result, a permutation of it but for the dead locals. With
  // `perm`, also where each instance went: instance i of `state` is instance (*perm)[i] of `out`.
  void Normalise(const ir::Value* state, ir::Value* out, std::vector<int32_t>* perm = nullptr);
  // The state whose successors NormaliseSuccessor is given next (a stored state, so a
  // representative; it must stay where it is until then). Null: none.
  void SetParent(const ir::Value* parent);
  // Normalise for a successor of the parent by `mover` (an instance, or the environment past
  // them): the same result, cheaper when only the mover's block changed in a group whose
  // blocks the parent has in order, as most steps do. Then only that block is placed among the
  // others, which stay in order, instead of sorting the group again.
  void NormaliseSuccessor(const ir::Value* state, int32_t mover, ir::Value* out);
  // Writes into `out` the state with instance i of `state` moved to perm[i] (a permutation of
  // instances within groups; the others stay where they are), and the locals dead where their
  // instance is cleared (ClearDead).
  void Apply(const ir::Value* state, const std::vector<int32_t>& perm, ir::Value* out) const;

 private:
  const ir::Program& program_;
  std::vector<ir::SymmetryGroup> groups_;
  std::vector<int32_t> block_width_;  // per group
  // Slots outside the blocks holding an instance + 1 (0: none): locks, row owners and waiters.
  std::vector<int32_t> owner_slots_;
  // Whether instance x sorts before y (group g, blocks `width` wide).
  bool Less(const ir::Value* state, int32_t x, int32_t y, size_t g, size_t width) const;

  // What a local that holds a token only at some pcs holds at `pc` (ir::AssignedAt); nullptr: a
  // token at every one.
  static char AtPc(const std::vector<char>* at_pcs, ir::Value pc) {
    if (at_pcs == nullptr) return ir::kAssignedHere;
    return pc >= 0 && static_cast<size_t>(pc) < at_pcs->size() ? (*at_pcs)[pc] : ir::kZeroHere;
  }
  static bool HeldAt(const std::vector<char>* at_pcs, ir::Value pc) { return AtPc(at_pcs, pc) == ir::kAssignedHere; }
  // Clears the locals that are dead where their instance is (kDeadHere): states that differ only
  // there behave alike, and the representative keeps one of them.
  void ClearDead(ir::Value* out) const {
    for (const ir::TokenSlot& slot : dead_slots_) {
      if (AtPc(slot.at_pcs.get(), out[slot.pc_slot]) == ir::kDeadHere) out[slot.slot] = 0;
    }
  }
  // A process's tokens (ir::SymmetryTokens): value base + self names instance first + self.
  struct TokenClass {
    int32_t process = 0;
    ir::Value base = 0;
    int32_t count = 0;  // instances of the process
    int32_t first = 0;  // its first instance
    std::vector<ir::TokenSlot> slots;
    // Whether the instance a token slot's value names (-1: none, the value is no token).
    int32_t Named(const ir::Value* state, const ir::TokenSlot& slot) const {
      if (slot.present_slot >= 0 && state[slot.present_slot] == 0) return -1;
      if (slot.pc_slot >= 0 && !HeldAt(slot.at_pcs.get(), state[slot.pc_slot])) return -1;
      int64_t k = static_cast<int64_t>(state[slot.slot]) - base;
      return k >= 0 && k < count ? first + static_cast<int32_t>(k) : -1;
    }
  };
  std::vector<TokenClass> token_classes_;
  // Per group: its token class (-1: none), which offsets of its blocks hold tokens, and the token
  // slots outside its process's blocks (for the tie-break).
  std::vector<int32_t> group_class_;
  std::vector<std::vector<char>> token_offset_;
  std::vector<std::vector<const std::vector<char>*>> token_offset_pcs_;  // per group and offset: HeldAt's pcs
  std::vector<std::vector<ir::TokenSlot>> outside_slots_;
  std::vector<ir::TokenSlot> dead_slots_;  // token slots in locals dead at some pcs (ClearDead)
  std::vector<int32_t> first_named_;  // scratch, per instance: the first outside slot naming it

  // Per instance: its takes region's slot when it is in a group and its process has takes, else -1.
  std::vector<int32_t> region_slots_;
  // Slots, as offsets in every block that has them, holding one bit per instance (SSI edges).
  std::vector<int32_t> mask_slots_;
  std::vector<int32_t> txn_slots_;  // every instance's transaction block, where it has one
  std::vector<int32_t> order_;  // scratch: a group's instances in sorted order
  // Per group: whether its blocks sort by their slots alone (no tokens, no takes regions) and
  // lie one after the other, so that NormaliseSuccessor may place a moved block among the others.
  std::vector<char> placeable_;
  const ir::Value* parent_ = nullptr;
  std::vector<char> parent_sorted_;  // per group: the parent's blocks are in order
  std::vector<int32_t> perm_;   // scratch
  bool perm_identity_ = false;  // perm_ holds the identity (NormaliseSuccessor keeps it so)
  std::vector<std::pair<int32_t, int32_t>> rotated_;  // scratch: the instances a rotation moved
};

}  // namespace racecheck::explore
