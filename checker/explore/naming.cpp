#include "checker/explore/naming.h"

#include "checker/base/diagnostics.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

std::string ElementName(const std::string& name, bool is_array, int32_t index, int32_t copies, int32_t copy) {
  std::string result = is_array ? fmt::format("{}[{}]", name, index) : name;
  if (copies > 1) result += fmt::format(" of replica {}", copy);
  return result;
}

}  // namespace

Naming::Naming(const ir::Program& program)
    : program_(program),
      names_(program.slot_count),
      kind_(program.slot_count, Kind::kOther),
      owner_(program.slot_count, -1),
      is_bool_(program.slot_count, false),
      hidden_(program.slot_count, false) {
  auto in_range = [&](int32_t slot) {
    RACECHECK_CHECK(slot >= 0 && slot < program.slot_count, "slot outside the state");
    return slot;
  };
  for (const ir::Param& param : program.params) names_[in_range(param.slot)] = param.name;
  for (const ir::Variable& var : program.vars) {
    for (int32_t copy = 0; copy < var.copies; ++copy) {
      for (int32_t i = 0; i < var.size; ++i) {
        int32_t slot = in_range(var.first_slot + copy * var.size + i);
        names_[slot] = ElementName(var.name, var.is_array, var.index_lo + i, var.copies, copy);
        is_bool_[slot] = var.is_bool;
      }
    }
  }
  for (const ir::Lock& lock : program.locks) {
    for (int32_t copy = 0; copy < lock.copies; ++copy) {
      for (int32_t i = 0; i < lock.size; ++i) {
        int32_t slot = in_range(lock.first_slot + copy * lock.size + i);
        names_[slot] = "lock " + ElementName(lock.name, lock.is_array, lock.index_lo + i, lock.copies, copy);
        kind_[slot] = Kind::kLock;
      }
    }
  }
  if (program.replica_busy_slot >= 0) {
    for (int32_t r = 0; r < program.replicas; ++r) {
      names_[in_range(program.replica_busy_slot + r)] = fmt::format("busy[{}]", r);
    }
  }
  for (size_t i = 0; i < program.instances.size(); ++i) {
    const ir::Instance& inst = program.instances[i];
    const ir::Process& process = program.processes[inst.process];
    int32_t pc = in_range(inst.base_slot);
    names_[pc] = inst.display_name + ".pc";
    kind_[pc] = Kind::kPc;
    owner_[pc] = static_cast<int32_t>(i);
    for (size_t k = 0; k < process.local_names.size(); ++k) {
      int32_t slot = in_range(inst.base_slot + 1 + static_cast<int32_t>(k));
      names_[slot] = inst.display_name + "." + process.local_names[k];
      kind_[slot] = Kind::kLocal;
      owner_[slot] = static_cast<int32_t>(i);
      is_bool_[slot] = k < process.local_is_bool.size() && process.local_is_bool[k];
    }
  }
  // The front end's names win where it gave them (it names locals by their short name).
  if (program.slots.size() == static_cast<size_t>(program.slot_count)) {
    for (int32_t slot = 0; slot < program.slot_count; ++slot) {
      const ir::SlotInfo& info = program.slots[slot];
      if (!info.name.empty() && kind_[slot] != Kind::kLocal) names_[slot] = info.name;
      if (kind_[slot] != Kind::kLock) is_bool_[slot] = info.is_bool;
      hidden_[slot] = info.hidden;
    }
  }
}

std::string Naming::ShortName(int32_t slot) const {
  if (kind_[slot] != Kind::kLocal) return names_[slot];
  const ir::Instance& inst = program_.instances[owner_[slot]];
  return program_.processes[inst.process].local_names[slot - inst.base_slot - 1];
}

std::string Naming::Value(int32_t slot, ir::Value value) const {
  if (kind_[slot] == Kind::kLock) {
    if (value == 0) return "free";
    if (value > 0 && static_cast<size_t>(value) <= program_.instances.size()) {
      return program_.instances[value - 1].display_name;
    }
  }
  if (is_bool_[slot]) return value != 0 ? "true" : "false";
  return std::to_string(value);
}

std::string Naming::LockName(int32_t slot) const {
  const std::string& name = names_[slot];
  return name.starts_with("lock ") ? name : "lock " + name;
}

}  // namespace racecheck::explore
