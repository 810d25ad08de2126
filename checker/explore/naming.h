// How the explicit engine names slots and formats values in results: "balance", "acct[1]",
// "Withdraw[0].b", "lock row[2]"; "100", "true", "free".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::explore {

class Naming {
 public:
  explicit Naming(const ir::Program& program);

  // The slot's full name: Program::slots when the front end filled them, else one made up
  // here; locals are always "Instance.local".
  const std::string& SlotName(int32_t slot) const { return names_[slot]; }
  // A local's name without its instance ("b"); other slots keep their full name.
  std::string ShortName(int32_t slot) const;
  int32_t Owner(int32_t slot) const { return owner_[slot]; }
  bool IsPc(int32_t slot) const { return kind_[slot] == Kind::kPc; }
  bool IsLocal(int32_t slot) const { return kind_[slot] == Kind::kLocal; }
  // A compiler temporary, never shown in traces.
  bool IsHidden(int32_t slot) const { return hidden_[slot]; }
  // "100", "true"/"false" for bools, "free" or the holder's name for locks.
  std::string Value(int32_t slot, ir::Value value) const;
  // "lock row[2]"; with replicas "lock row[2] of replica 1".
  std::string LockName(int32_t slot) const;

 private:
  enum class Kind { kOther, kPc, kLocal, kLock };

  const ir::Program& program_;
  std::vector<std::string> names_;
  std::vector<Kind> kind_;
  std::vector<int32_t> owner_;
  std::vector<bool> is_bool_;
  std::vector<bool> hidden_;
};

}  // namespace racecheck::explore
