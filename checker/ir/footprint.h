// Static footprints for partial-order reduction: which shared resources the step an instance
// starts at a pc may read and write, and which everything it may still do from that pc touches
// (docs/internals-explore.md, "Partial-order reduction").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::ir {

// A set of resources, one bit each. Resources: every element of every variable (an array's
// elements one by one up to kMaxSplit, all replica copies together), a second resource per element
// for ghosts updated by commuting `+=` (below), every element of every lock, every table (one
// "database" resource for them all when a transaction is serializable: SSI marks tie tables
// together) and every key of every element of every Redis declaration (its value, lease and the
// instances' WATCH slots on it). Two steps whose sets do not overlap where one writes commute.
//
// Commuting additions: `g += c` on a ghost, c a constant of one sign for every such update of g
// (per instance: `self` and parameters nobody assigns count as constants), writes the resource
// "g (+=)" and neither reads nor writes "g"; every other access to g (a read, a plain write) reads
// "g (+=)" too; the futures leave the additions out of their accesses (not of their writes). Two
// additions thus never conflict, and an addition conflicts with everything else that touches g.
using ResourceSet = std::vector<uint64_t>;

class Footprints {
 public:
  // Arrays (and Redis declarations) with more elements (element x key pairs) are one resource.
  static constexpr int32_t kMaxSplit = 256;

  explicit Footprints(const Program& program);

  int32_t words() const { return words_; }
  int32_t resource_count() const { return static_cast<int32_t>(names_.size()); }
  // "balance", "acct[1]", "withdrawn (+=)", "lock fork[0]", "table accounts", "database",
  // "redis cache.hits[1]": for tests and docs.
  std::string ResourceName(int32_t resource) const { return names_[resource]; }
  // Element `offset` (0 for the first, whatever the array's lower bound) of a variable or lock.
  int32_t VarResource(int32_t var, int32_t offset = 0) const { return Element(vars_[var], offset); }
  // -1 when the ghost has no commuting addition.
  int32_t GhostAddResource(int32_t var, int32_t offset = 0) const {
    return adds_[var].first < 0 ? -1 : Element(adds_[var], offset);
  }
  int32_t LockResource(int32_t lock, int32_t offset = 0) const { return Element(locks_[lock], offset); }
  int32_t TableResource(int32_t table) const { return tables_first_ + (split_tables_ ? table : 0); }
  int32_t RedisResource(int32_t redis, int32_t element, int32_t key) const;
  // Whether every table is a resource of its own (no serializable transaction in the program).
  bool split_tables() const { return split_tables_; }

  // The step `instance` runs from `pc` (every path, up to the next visible access after its first,
  // docs/semantics.md "Steps"): what it may read and write.
  const uint64_t* StepReads(int32_t instance, int32_t pc) const { return At(&Table::step_reads, instance, pc); }
  const uint64_t* StepWrites(int32_t instance, int32_t pc) const { return At(&Table::step_writes, instance, pc); }
  // Every instruction reachable from `pc`: what the instance may still read or write (commuting
  // additions left out), and write.
  const uint64_t* FutureAccesses(int32_t instance, int32_t pc) const { return At(&Table::future_accesses, instance, pc); }
  const uint64_t* FutureWrites(int32_t instance, int32_t pc) const { return At(&Table::future_writes, instance, pc); }
  // What invariants and covers read (finals need nothing: docs/semantics.md, "Partial-order reduction").
  const ResourceSet& property_reads() const { return property_reads_; }
  // What the environment's lease expiries write: the Redis keys that may get a lease.
  const ResourceSet& environment_writes() const { return environment_writes_; }
  // Whether the step of `instance` from `pc` can ever pass the static conditions of the ample
  // choice: it is invisible, leaves the environment's keys alone, and some other instance at some
  // pc where a step may start has a future it does not conflict with. False for every instance and
  // pc: reduction can never apply to the program.
  bool MayBeChosen(int32_t instance, int32_t pc) const {
    return tables_[instance_table_[instance]].may_be_chosen[pc] != 0;
  }
  bool AnyMayBeChosen() const { return any_may_be_chosen_; }

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
  // The resources of one variable, lock or Redis declaration: `count` in a row from `first`
  // (1 when it is not split), one per element (Redis: per element and key).
  struct Span {
    int32_t first = -1;
    int32_t count = 1;
  };
  struct Access {
    ResourceSet reads, writes, adds;
    // A branch whose condition is a constant: the only place it goes (-1: as Successors says).
    int32_t next = -1;
    bool operator==(const Access&) const = default;
  };
  // Footprints of one process's code, shared by its instances whose constants give the same accesses.
  struct Table {
    int32_t process = 0;
    std::vector<Access> own;
    // code.size() * words_ each, pc after pc.
    std::vector<uint64_t> step_reads, step_writes, future_accesses, future_writes;
    std::vector<char> may_be_chosen;
  };
  // What an expression may take as a constant: `self` and the parameters nobody assigns, with
  // their default values (nullopt: not a constant). Empty for properties.
  struct Frame {
    std::optional<int64_t> self;
    std::vector<std::optional<int64_t>> locals;
  };

  static int32_t Element(const Span& span, int32_t offset) {
    return span.first + (span.count > 1 && offset >= 0 && offset < span.count ? offset : 0);
  }
  const uint64_t* At(std::vector<uint64_t> Table::*sets, int32_t instance, int32_t pc) const {
    return (tables_[instance_table_[instance]].*sets).data() + static_cast<size_t>(pc) * words_;
  }
  Span NewSpan(const std::string& name, int32_t lo, int32_t size, bool is_array);
  void Add(ResourceSet& set, int32_t resource) const;
  void AddSpan(ResourceSet& set, const Span& span, int32_t lo, int32_t index, const Frame& frame) const;
  void AddRedis(ResourceSet& set, int32_t redis, int32_t element, int32_t key, int32_t key_index,
                const Frame& frame) const;
  std::optional<int64_t> Constant(int32_t expr, const Frame& frame) const;
  Frame InstanceFrame(const Instance& instance) const;
  void ExprReads(int32_t expr, ResourceSet& reads, const Frame& frame) const;
  // The ghost addition `instr` makes, when it is one: its amount.
  std::optional<int64_t> GhostAddition(const Instr& instr, const Frame& frame) const;
  void FindCommutingAdditions();
  void VarRead(ResourceSet& reads, int32_t var, int32_t index, const Frame& frame) const;
  void SqlAccess(Access& access, const Process& process, const Instr& instr, const Frame& frame) const;
  Access InstrAccess(const Process& process, const Instr& instr, const Frame& frame) const;
  std::vector<int32_t> Next(const Table& table, int32_t pc) const;
  void StepFootprint(Table& table, int32_t pc) const;
  void FutureFootprints(Table& table) const;
  std::vector<ResourceSet> HeldLocks(const Table& table) const;
  void ChoosablePcs();

  const Program& program_;
  std::vector<std::string> names_;
  std::vector<Span> vars_, adds_, locks_, redis_;
  int32_t tables_first_ = 0;
  bool split_tables_ = false;
  int32_t words_ = 1;
  // Per variable: whether its `+=` updates commute (every one adds constants of one sign).
  std::vector<char> commuting_;
  // Per process: the tables its transactions use, and the tables its snapshots copy.
  std::vector<std::vector<int32_t>> transaction_tables_, snapshot_tables_, sql_tables_;
  std::vector<Table> tables_;
  std::vector<int32_t> instance_table_;
  bool any_may_be_chosen_ = false;
  ResourceSet property_reads_;
  ResourceSet environment_writes_;
};

// The places control may go from instruction `pc` of `code` (the next instruction, a jump's
// target, a failure label, a refused multi's exit); none after kEnd and kTxRaise.
std::vector<int32_t> Successors(const std::vector<Instr>& code, int32_t pc);

}  // namespace racecheck::ir
