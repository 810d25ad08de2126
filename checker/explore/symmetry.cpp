#include "checker/explore/symmetry.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <utility>

#include "checker/base/diagnostics.h"

namespace racecheck::explore {
namespace {

// Instance i's bits of an SSI mask moved to perm[i]; kSsiOther (a forgotten committed
// transaction) and any bit past the instances stay.
ir::Value PermuteMask(ir::Value mask, const std::vector<int32_t>& perm) {
  ir::Value out = mask & ir::kSsiOther;
  int32_t n = std::min<int32_t>(static_cast<int32_t>(perm.size()), ir::kMaxSsiInstances);
  for (int32_t i = 0; i < n; ++i) {
    if (mask & (ir::Value{1} << i)) out |= ir::Value{1} << perm[i];
  }
  return out;
}

}  // namespace

Symmetry::Symmetry(const ir::Program& program, std::vector<ir::SymmetryGroup> groups)
    : program_(program), groups_(std::move(groups)) {
  for (const ir::SymmetryGroup& group : groups_) {
    // A process's instances are laid out one after the other, all with one block layout, so
    // a block is as wide as the distance between two of them (a group has at least two).
    int32_t first = group.instances.front();
    while (first > 0 && program.instances[first - 1].process == group.process) --first;
    block_width_.push_back(program.instances[first + 1].base_slot - program.instances[first].base_slot);
    for (int32_t i : group.instances) {
      RACECHECK_CHECK(program.instances[i].process == group.process, "a symmetry group spans processes");
    }
  }
  if (!active()) return;
  // Every lock slot of every copy, and every row's owner and waiter.
  for (const ir::Lock& lock : program.locks) {
    for (int32_t s = 0; s < lock.size * lock.copies; ++s) owner_slots_.push_back(lock.first_slot + s);
  }
  for (const ir::Table& table : program.tables) {
    for (int32_t r = 0; r < table.capacity; ++r) {
      owner_slots_.push_back(table.OwnerSlot(r));
      owner_slots_.push_back(table.WaiterSlot(r));
    }
  }
  for (int32_t k : {ir::kSsiIn, ir::kSsiOut, ir::kSsiConcurrent}) mask_slots_.push_back(k);
  for (const ir::Instance& instance : program.instances) {
    int32_t txn = program.processes[instance.process].db.txn;
    if (txn >= 0) txn_slots_.push_back(instance.base_slot + txn);
  }
  // A timed model's takes regions: one slot per instance outside the blocks, moved with them.
  region_slots_.assign(program.instances.size(), -1);
  if (program.timed) {
    for (const ir::SymmetryGroup& group : groups_) {
      for (int32_t i : group.instances) region_slots_[i] = program.region_slots[i];
    }
  }
  perm_.resize(program.instances.size());
  for (size_t g = 0; g < groups_.size(); ++g) {
    const std::vector<int32_t>& members = groups_[g].instances;
    bool consecutive = true;
    for (size_t k = 1; k < members.size(); ++k) consecutive &= members[k] == members[k - 1] + 1;
    placeable_.push_back(consecutive && !groups_[g].tokens.any && region_slots_[members.front()] < 0);
  }
  parent_sorted_.assign(groups_.size(), 0);
  first_named_.assign(program.instances.size(), 0);
  // Tokens: one class per process (its groups share it), renamed once per Apply.
  for (size_t g = 0; g < groups_.size(); ++g) {
    const ir::SymmetryGroup& group = groups_[g];
    group_class_.push_back(-1);
    token_offset_.emplace_back(static_cast<size_t>(block_width_[g]), 0);
    token_offset_pcs_.emplace_back(static_cast<size_t>(block_width_[g]), nullptr);
    outside_slots_.emplace_back();
    if (!group.tokens.any) continue;
    auto same = [&](const TokenClass& c) { return c.process == group.process; };
    auto it = std::find_if(token_classes_.begin(), token_classes_.end(), same);
    if (it == token_classes_.end()) {
      const ir::Process& process = program.processes[group.process];
      int32_t first = group.instances.front();
      while (first > 0 && program.instances[first - 1].process == group.process) --first;
      for (int32_t s = 0; s < process.instance_count; ++s) {
        RACECHECK_CHECK(program.instances[first + s].process == group.process && program.instances[first + s].self == s,
                        "a process's instances are not laid out in order");
      }
      token_classes_.push_back({group.process, group.tokens.base, process.instance_count, first, group.tokens.slots});
      it = token_classes_.end() - 1;
      for (const ir::TokenSlot& slot : group.tokens.slots) {
        if (slot.at_pcs && std::find(slot.at_pcs->begin(), slot.at_pcs->end(), ir::kDeadHere) != slot.at_pcs->end()) {
          dead_slots_.push_back(slot);
        }
      }
    }
    group_class_[g] = static_cast<int32_t>(it - token_classes_.begin());
    for (int32_t offset : group.tokens.block_offsets) token_offset_[g][static_cast<size_t>(offset)] = true;
    for (const auto& [offset, pcs] : group.tokens.offset_pcs) token_offset_pcs_[g][static_cast<size_t>(offset)] = pcs.get();
    for (const ir::TokenSlot& slot : group.tokens.slots) {
      bool in_block = false;
      for (int32_t s = 0; s < it->count; ++s) {
        int32_t base = program.instances[it->first + s].base_slot;
        in_block |= slot.slot >= base && slot.slot < base + block_width_[g];
      }
      if (!in_block) outside_slots_[g].push_back(slot);
    }
  }
}

void Symmetry::Normalise(const ir::Value* state, ir::Value* out, std::vector<int32_t>* perm) {
  std::iota(perm_.begin(), perm_.end(), 0);
  perm_identity_ = false;
  bool identity = true;
  for (size_t g = 0; g < groups_.size(); ++g) {
    const std::vector<int32_t>& members = groups_[g].instances;
    size_t width = static_cast<size_t>(block_width_[g]);
    order_.assign(members.begin(), members.end());
    if (group_class_[g] >= 0) {
      // Where each member's token first appears outside the blocks (a lock's value, a copy
      // another process keeps): the last key, so that equal blocks take the order of their tokens.
      const TokenClass& tokens = token_classes_[static_cast<size_t>(group_class_[g])];
      for (int32_t i : members) first_named_[i] = INT32_MAX;
      const std::vector<ir::TokenSlot>& outside = outside_slots_[g];
      for (size_t k = 0; k < outside.size(); ++k) {
        int32_t named = tokens.Named(state, outside[k]);
        if (named >= 0 && first_named_[named] == INT32_MAX) first_named_[named] = static_cast<int32_t>(k);
      }
    }
    // Insertion sort: groups are small, and mostly sorted already (each step moves one block).
    for (size_t k = 1; k < order_.size(); ++k) {
      int32_t x = order_[k];
      size_t j = k;
      while (j > 0 && Less(state, x, order_[j - 1], g, width)) {
        order_[j] = order_[j - 1];
        --j;
      }
      order_[j] = x;
    }
    for (size_t k = 0; k < order_.size(); ++k) {
      perm_[order_[k]] = members[k];
      if (order_[k] != members[k]) identity = false;
    }
  }
  if (perm != nullptr) *perm = perm_;
  if (identity) {
    std::memcpy(out, state, sizeof(ir::Value) * static_cast<size_t>(program_.slot_count));
    ClearDead(out);
    return;
  }
  Apply(state, perm_, out);
}

// By block, then (timed models) by takes region: everything of an instance that sits in no
// other instance's place, so that instances that differ only there still sort alike in every
// state of an orbit. A token in a block counts as the instance's own, another's, or no token
// (its number depends on the instances' names, which the representative renames); equal blocks
// then go by where their tokens first appear outside the blocks.
bool Symmetry::Less(const ir::Value* state, int32_t x, int32_t y, size_t g, size_t width) const {
  const ir::Value* xb = state + program_.instances[x].base_slot;
  const ir::Value* yb = state + program_.instances[y].base_slot;
  if (group_class_[g] < 0) {
    auto [xe, ye] = std::mismatch(xb, xb + width, yb);
    if (xe != xb + width) return *xe < *ye;
  } else {
    const TokenClass& tokens = token_classes_[static_cast<size_t>(group_class_[g])];
    const std::vector<char>& is_token = token_offset_[g];
    // (0, value) for no token, (1, 0) for the instance's own, (2, 0) for another's.
    auto key = [&](ir::Value v, int32_t self) -> std::pair<int, ir::Value> {
      int64_t k = static_cast<int64_t>(v) - tokens.base;
      if (k < 0 || k >= tokens.count) return {0, v};
      return {tokens.first + k == self ? 1 : 2, 0};
    };
    const std::vector<const std::vector<char>*>& at_pcs = token_offset_pcs_[g];
    for (size_t k = 0; k < width; ++k) {
      if (xb[k] == yb[k] && !is_token[k]) continue;
      // Offset 0 is the pc, never a token: past it, both blocks are at the same pc. A dead local
      // counts as the 0 the representative clears it to.
      if (is_token[k] && AtPc(at_pcs[k], xb[0]) == ir::kDeadHere) continue;
      if (!is_token[k] || !HeldAt(at_pcs[k], xb[0])) {
        if (xb[k] == yb[k]) continue;
        return xb[k] < yb[k];
      }
      auto xk = key(xb[k], x), yk = key(yb[k], y);
      if (xk != yk) return xk < yk;
    }
  }
  if (region_slots_[x] >= 0 && state[region_slots_[x]] != state[region_slots_[y]]) {
    return state[region_slots_[x]] < state[region_slots_[y]];
  }
  return group_class_[g] >= 0 && first_named_[x] < first_named_[y];
}

void Symmetry::SetParent(const ir::Value* parent) {
  parent_ = parent;
  if (parent == nullptr) return;
  for (size_t g = 0; g < groups_.size(); ++g) {
    parent_sorted_[g] = 0;
    if (!placeable_[g]) continue;
    const std::vector<int32_t>& members = groups_[g].instances;
    size_t width = static_cast<size_t>(block_width_[g]);
    bool sorted = true;
    for (size_t k = 1; k < members.size() && sorted; ++k) sorted = !Less(parent, members[k], members[k - 1], g, width);
    parent_sorted_[g] = sorted;
  }
}

void Symmetry::NormaliseSuccessor(const ir::Value* state, int32_t mover, ir::Value* out) {
  if (parent_ == nullptr) return Normalise(state, out);
  // perm_ is the identity between calls here; only the places a rotation changed are reset.
  if (!perm_identity_) std::iota(perm_.begin(), perm_.end(), 0);
  perm_identity_ = true;
  rotated_.clear();
  bool identity = true;
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!parent_sorted_[g]) return Normalise(state, out);
    const std::vector<int32_t>& members = groups_[g].instances;
    size_t width = static_cast<size_t>(block_width_[g]);
    auto begin = static_cast<size_t>(program_.instances[members.front()].base_slot);
    size_t end = static_cast<size_t>(program_.instances[members.back()].base_slot) + width;
    auto same = [&](size_t from, size_t to) {
      return std::memcmp(state + from, parent_ + from, sizeof(ir::Value) * (to - from)) == 0;
    };
    bool moved_here = mover >= members.front() && mover <= members.back();
    if (!moved_here) {
      if (!same(begin, end)) return Normalise(state, out);
      continue;
    }
    auto at = static_cast<size_t>(program_.instances[mover].base_slot);
    if (!same(begin, at) || !same(at + width, end)) return Normalise(state, out);
    // The others keep their order; the mover's block goes where a stable sort puts it: past
    // the blocks before it that are greater, or past those after it that are smaller.
    size_t k = static_cast<size_t>(mover - members.front()), j = k;
    while (j > 0 && Less(state, mover, members[j - 1], g, width)) --j;
    if (j == k) {
      while (j + 1 < members.size() && Less(state, members[j + 1], mover, g, width)) ++j;
    }
    if (j == k) continue;
    identity = false;
    perm_[mover] = members[j];
    if (j < k) {
      for (size_t i = j; i < k; ++i) perm_[members[i]] = members[i + 1];
    } else {
      for (size_t i = k + 1; i <= j; ++i) perm_[members[i]] = members[i - 1];
    }
    rotated_.emplace_back(members[std::min(j, k)], members[std::max(j, k)]);
  }
  if (identity) {
    std::memcpy(out, state, sizeof(ir::Value) * static_cast<size_t>(program_.slot_count));
    ClearDead(out);
    return;
  }
  Apply(state, perm_, out);
  for (auto [from, to] : rotated_) std::iota(perm_.begin() + from, perm_.begin() + to + 1, from);
}

void Symmetry::Apply(const ir::Value* state, const std::vector<int32_t>& perm, ir::Value* out) const {
  std::memcpy(out, state, sizeof(ir::Value) * static_cast<size_t>(program_.slot_count));
  for (size_t g = 0; g < groups_.size(); ++g) {
    size_t bytes = sizeof(ir::Value) * static_cast<size_t>(block_width_[g]);
    for (int32_t i : groups_[g].instances) {
      if (perm[i] == i) continue;
      std::memcpy(out + program_.instances[perm[i]].base_slot, state + program_.instances[i].base_slot, bytes);
      if (region_slots_[i] >= 0) out[region_slots_[perm[i]]] = state[region_slots_[i]];
    }
  }
  for (int32_t slot : owner_slots_) {
    ir::Value owner = out[slot];
    if (owner > 0 && owner <= static_cast<ir::Value>(perm.size())) out[slot] = perm[owner - 1] + 1;
  }
  // Tokens name instances by value: instance i's token becomes instance perm[i]'s.
  for (const TokenClass& tokens : token_classes_) {
    for (const ir::TokenSlot& slot : tokens.slots) {
      int32_t named = tokens.Named(out, slot);
      if (named >= 0 && perm[named] != named) out[slot.slot] = program_.instances[perm[named]].self + tokens.base;
    }
  }
  for (int32_t at : txn_slots_) {
    for (int32_t k : mask_slots_) out[at + k] = PermuteMask(out[at + k], perm);
  }
  ClearDead(out);
}

}  // namespace racecheck::explore
