// Static footprints for partial-order reduction: which shared resources the step an instance
// starts at a pc may read and write, and which everything it may still do from that pc touches
// (docs/internals-explore.md, "Partial-order reduction").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::ir {

// A set of resources, one bit each. Resources: every variable (shared or ghost, all elements and
// replica copies together), every lock (all elements), the database (every table, row lock,
// transaction block and SSI mark together) and every Redis declaration (its keys, leases and the
// instances' WATCH slots on it). Two steps whose sets do not overlap where one writes commute.
using ResourceSet = std::vector<uint64_t>;

class Footprints {
 public:
  explicit Footprints(const Program& program);

  int32_t words() const { return words_; }
  int32_t resource_count() const { return resources_; }
  // "balance", "lock mu", "database", "redis cache": for tests and docs.
  std::string ResourceName(int32_t resource) const;
  int32_t VarResource(int32_t var) const { return var; }
  int32_t LockResource(int32_t lock) const { return var_count_ + lock; }
  int32_t DatabaseResource() const { return var_count_ + lock_count_; }
  int32_t RedisResource(int32_t redis) const { return var_count_ + lock_count_ + 1 + redis; }

  // The step an instance of `process` runs from `pc` (every path, up to the next visible access
  // after its first, docs/semantics.md "Steps"): what it may read and write.
  const uint64_t* StepReads(int32_t process, int32_t pc) const { return At(step_reads_, process, pc); }
  const uint64_t* StepWrites(int32_t process, int32_t pc) const { return At(step_writes_, process, pc); }
  // Every instruction reachable from `pc`: what the instance may still read or write, and write.
  const uint64_t* FutureAccesses(int32_t process, int32_t pc) const { return At(future_accesses_, process, pc); }
  const uint64_t* FutureWrites(int32_t process, int32_t pc) const { return At(future_writes_, process, pc); }
  // What invariants and covers read (finals need nothing: docs/semantics.md, "Partial-order reduction").
  const ResourceSet& property_reads() const { return property_reads_; }
  // What the environment's lease expiries write: the Redis declarations with a key that may get a lease.
  const ResourceSet& environment_writes() const { return environment_writes_; }

  static bool Disjoint(const uint64_t* a, const uint64_t* b, int32_t words) {
    for (int32_t w = 0; w < words; ++w) {
      if ((a[w] & b[w]) != 0) return false;
    }
    return true;
  }
  static bool Empty(const uint64_t* a, int32_t words) {
    for (int32_t w = 0; w < words; ++w) {
      if (a[w] != 0) return false;
    }
    return true;
  }

 private:
  struct Access {
    ResourceSet reads, writes;
  };
  const uint64_t* At(const std::vector<ResourceSet>& sets, int32_t process, int32_t pc) const {
    return sets[process].data() + static_cast<size_t>(pc) * words_;
  }
  void Add(ResourceSet& set, int32_t resource) const;
  void ExprReads(int32_t expr, ResourceSet& reads) const;
  Access InstrAccess(const Process& process, const Instr& instr) const;
  void StepFootprint(int32_t process, int32_t pc, const std::vector<Access>& own);
  void FutureFootprints(int32_t process, const std::vector<Access>& own);

  const Program& program_;
  int32_t var_count_ = 0;
  int32_t lock_count_ = 0;
  int32_t resources_ = 0;
  int32_t words_ = 1;
  // Per process: code.size() * words_, pc after pc.
  std::vector<ResourceSet> step_reads_, step_writes_, future_accesses_, future_writes_;
  ResourceSet property_reads_;
  ResourceSet environment_writes_;
};

// The places control may go from instruction `pc` of `code` (the next instruction, a jump's
// target, a failure label, a refused multi's exit); none after kEnd and kTxRaise.
std::vector<int32_t> Successors(const std::vector<Instr>& code, int32_t pc);

}  // namespace racecheck::ir
