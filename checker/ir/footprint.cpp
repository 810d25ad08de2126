#include "checker/ir/footprint.h"

#include <set>
#include <tuple>

#include "checker/ir/ops.h"

namespace racecheck::ir {
namespace {

// Commands that leave the keys as they are. WATCH counts as a read: it writes only the watching
// instance's own slot, which another instance's write to the declaration changes.
bool ReadsOnly(RedisCommand command) {
  switch (command) {
    case RedisCommand::kGet:
    case RedisCommand::kExists:
    case RedisCommand::kWatch:
    case RedisCommand::kTtl:
    case RedisCommand::kLen:
    case RedisCommand::kHGet:
    case RedisCommand::kHExists:
    case RedisCommand::kHLen:
    case RedisCommand::kSIsMember:
    case RedisCommand::kSCard:
      return true;
    default:
      return false;
  }
}

void Union(ResourceSet& into, const uint64_t* from) {
  for (size_t w = 0; w < into.size(); ++w) into[w] |= from[w];
}

}  // namespace

std::vector<int32_t> Successors(const std::vector<Instr>& code, int32_t pc) {
  const Instr& instr = code[pc];
  std::vector<int32_t> next;
  switch (instr.op) {
    case Op::kEnd:
    case Op::kTxRaise:
      break;
    case Op::kJump:
      next.push_back(instr.target);
      break;
    case Op::kBranchFalse:
    case Op::kSql:
    case Op::kTxCommit:
    case Op::kRedisBegin:
      next.push_back(pc + 1);
      if (instr.target >= 0) next.push_back(instr.target);
      break;
    default:
      next.push_back(pc + 1);
      break;
  }
  return next;
}

Footprints::Footprints(const Program& program) : program_(program) {
  var_count_ = static_cast<int32_t>(program.vars.size());
  lock_count_ = static_cast<int32_t>(program.locks.size());
  resources_ = var_count_ + lock_count_ + 1 + static_cast<int32_t>(program.redis.size());
  words_ = (resources_ + 63) / 64;
  property_reads_.assign(words_, 0);
  environment_writes_.assign(words_, 0);
  for (const Property& property : program.properties) {
    if (property.kind != PropertyKind::kFinal) ExprReads(property.expr, property_reads_);
  }
  ForEachLeasableKey(program, [&](int32_t redis, int32_t, int32_t, int32_t) {
    Add(environment_writes_, RedisResource(redis));
  });
  size_t process_count = program.processes.size();
  step_reads_.resize(process_count);
  step_writes_.resize(process_count);
  future_accesses_.resize(process_count);
  future_writes_.resize(process_count);
  for (size_t p = 0; p < process_count; ++p) {
    const Process& process = program.processes[p];
    size_t size = process.code.size() * static_cast<size_t>(words_);
    step_reads_[p].assign(size, 0);
    step_writes_[p].assign(size, 0);
    future_accesses_[p].assign(size, 0);
    future_writes_[p].assign(size, 0);
    std::vector<Access> own;
    own.reserve(process.code.size());
    for (const Instr& instr : process.code) own.push_back(InstrAccess(process, instr));
    for (size_t pc = 0; pc < process.code.size(); ++pc) {
      StepFootprint(static_cast<int32_t>(p), static_cast<int32_t>(pc), own);
    }
    FutureFootprints(static_cast<int32_t>(p), own);
  }
}

std::string Footprints::ResourceName(int32_t resource) const {
  if (resource < var_count_) return program_.vars[resource].name;
  if (resource < var_count_ + lock_count_) return "lock " + program_.locks[resource - var_count_].name;
  if (resource == DatabaseResource()) return "database";
  return "redis " + program_.redis[resource - DatabaseResource() - 1].name;
}

void Footprints::Add(ResourceSet& set, int32_t resource) const {
  set[resource / 64] |= uint64_t{1} << (resource % 64);
}

void Footprints::ExprReads(int32_t expr, ResourceSet& reads) const {
  if (expr < 0) return;
  const Expr& e = program_.exprs[expr];
  switch (e.op) {
    case ExprOp::kGlobal:
      Add(reads, VarResource(e.var));
      break;
    case ExprOp::kCell:
    case ExprOp::kTableCount:
    case ExprOp::kTableSum:
      Add(reads, DatabaseResource());
      break;
    case ExprOp::kRedisValue:
    case ExprOp::kRedisLease:
    case ExprOp::kRedisLength:
    case ExprOp::kRedisContains:
    case ExprOp::kRedisHashGet:
      Add(reads, RedisResource(e.index));
      break;
    default:
      break;
  }
  ExprReads(e.a, reads);
  ExprReads(e.b, reads);
  ExprReads(e.key_index, reads);
}

Footprints::Access Footprints::InstrAccess(const Process& process, const Instr& instr) const {
  Access access{ResourceSet(words_, 0), ResourceSet(words_, 0)};
  ResourceSet& reads = access.reads;
  ResourceSet& writes = access.writes;
  ExprReads(instr.index, reads);
  ExprReads(instr.expr, reads);
  ExprReads(instr.expr2, reads);
  switch (instr.op) {
    case Op::kRead:
      Add(reads, VarResource(instr.var));
      break;
    case Op::kWrite:
    case Op::kGhostWrite:
      Add(writes, VarResource(instr.var));
      break;
    case Op::kAcquire:
    case Op::kRelease:
      Add(writes, LockResource(instr.var));
      break;
    case Op::kSql: {
      // Statements, commits and rollbacks change row locks, versions and SSI marks that any other
      // transaction may look at: the database is one resource, and every call writes it.
      Add(writes, DatabaseResource());
      const SqlStatement& sql = program_.sql[instr.call];
      ExprReads(sql.where, reads);
      ExprReads(sql.key_expr, reads);
      for (const SqlSet& set : sql.sets) ExprReads(set.expr, reads);
      for (int32_t value : sql.values) ExprReads(value, reads);
      break;
    }
    case Op::kTxBegin:
    case Op::kTxCommit:
    case Op::kTxRollback:
      Add(writes, DatabaseResource());
      break;
    case Op::kRedis: {
      const RedisOp& op = program_.redis_ops[instr.call];
      Add(ReadsOnly(op.command) && !op.blocking ? reads : writes, RedisResource(op.redis));
      for (int32_t expr : {op.element, op.key_index, op.value, op.ttl, op.count, op.target_index}) {
        ExprReads(expr, reads);
      }
      for (int32_t arg : op.args) ExprReads(arg, reads);
      break;
    }
    case Op::kRedisBegin: {
      // EXEC looks at the instance's WATCH slots, which others' writes to the declaration set.
      const RedisBlock& block = program_.redis_blocks[instr.call];
      Add(reads, RedisResource(block.redis));
      ExprReads(block.element, reads);
      break;
    }
    case Op::kCrash: {
      for (const CrashPoint::HeldLock& held : program_.crashes[instr.call].lock_blocks) {
        Add(writes, LockResource(held.lock));
        ExprReads(held.index, reads);
      }
      if (process.db.txn >= 0) Add(writes, DatabaseResource());
      for (size_t d = 0; d < process.db.watches.size() && d < program_.redis.size(); ++d) {
        if (process.db.watches[d] >= 0) Add(writes, RedisResource(static_cast<int32_t>(d)));
      }
      break;
    }
    case Op::kLet:
    case Op::kAtomicBegin:
    case Op::kAtomicEnd:
    case Op::kAwait:
    case Op::kJump:
    case Op::kBranchFalse:
    case Op::kAssert:
    case Op::kAssume:
    case Op::kChoose:
    case Op::kEnd:
    case Op::kTxRaise:
    case Op::kTxHandled:
    case Op::kRedisEnd:
      break;
  }
  return access;
}

// Walks every path of the step from `pc` as Stepper::Run does (the same stopping rule under both
// runtimes), taking the union of what the instructions it runs touch. Where the walk cannot tell
// (a statement that may wait part way, a lock that may be held) it goes on: a larger set is safe.
void Footprints::StepFootprint(int32_t process, int32_t pc, const std::vector<Access>& own) {
  const std::vector<Instr>& code = program_.processes[process].code;
  bool event_loop = program_.runtime == Runtime::kEventLoop;
  ResourceSet reads(words_, 0), writes(words_, 0);
  // (pc, did_visible, after_external, atomic depth)
  using Point = std::tuple<int32_t, bool, bool, int32_t>;
  std::set<Point> seen;
  std::vector<Point> work{{pc, false, false, 0}};
  while (!work.empty()) {
    auto [at, did_visible, after_external, depth] = work.back();
    work.pop_back();
    if (at < 0 || static_cast<size_t>(at) >= code.size() || !seen.insert({at, did_visible, after_external, depth}).second) {
      continue;
    }
    const Instr& instr = code[at];
    bool visible = IsVisible(instr.op);
    bool stop = event_loop ? IsExternal(instr.op) || after_external : true;
    if (visible && did_visible && depth == 0 && stop) continue;
    Union(reads, own[at].reads.data());
    Union(writes, own[at].writes.data());
    bool external = IsExternal(instr.op);
    bool now_visible = did_visible;
    bool now_external = after_external || (external && (instr.op != Op::kRedis || depth == 0));
    int32_t now_depth = depth;
    switch (instr.op) {
      case Op::kAtomicBegin:
      case Op::kRedisBegin:
        ++now_depth;
        break;
      case Op::kAtomicEnd:
      case Op::kRedisEnd:
        if (now_depth > 0 && --now_depth == 0) now_visible = true;
        break;
      case Op::kAwait:
        if (event_loop) continue;  // the step ends after it
        break;
      default:
        if (visible && depth == 0) now_visible = true;
        if (instr.op == Op::kSql) now_visible = true;
        break;
    }
    for (int32_t next : Successors(code, at)) {
      bool failure_label = (instr.op == Op::kSql || instr.op == Op::kTxCommit || instr.op == Op::kRedisBegin) &&
                           instr.target >= 0 && next == instr.target;
      if (failure_label) {
        // A failed statement or commit goes on at its failure label, a refused multi after its
        // block: either way the step has made its visible access.
        work.push_back({next, true, true, depth});
      } else {
        work.push_back({next, now_visible, now_external, now_depth});
      }
    }
  }
  size_t offset = static_cast<size_t>(pc) * words_;
  std::copy(reads.begin(), reads.end(), step_reads_[process].begin() + offset);
  std::copy(writes.begin(), writes.end(), step_writes_[process].begin() + offset);
}

void Footprints::FutureFootprints(int32_t process, const std::vector<Access>& own) {
  const std::vector<Instr>& code = program_.processes[process].code;
  std::vector<uint64_t>& accesses = future_accesses_[process];
  std::vector<uint64_t>& writes = future_writes_[process];
  for (size_t pc = 0; pc < code.size(); ++pc) {
    for (int32_t w = 0; w < words_; ++w) {
      accesses[pc * words_ + w] = own[pc].reads[w] | own[pc].writes[w];
      writes[pc * words_ + w] = own[pc].writes[w];
    }
  }
  // A fixpoint over the control flow graph: each pc gets what its successors may do.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t pc = code.size(); pc-- > 0;) {
      for (int32_t next : Successors(code, static_cast<int32_t>(pc))) {
        if (next < 0 || static_cast<size_t>(next) >= code.size()) continue;
        for (int32_t w = 0; w < words_; ++w) {
          uint64_t a = accesses[pc * words_ + w] | accesses[next * words_ + w];
          uint64_t b = writes[pc * words_ + w] | writes[next * words_ + w];
          if (a != accesses[pc * words_ + w] || b != writes[pc * words_ + w]) changed = true;
          accesses[pc * words_ + w] = a;
          writes[pc * words_ + w] = b;
        }
      }
    }
  }
}

}  // namespace racecheck::ir
