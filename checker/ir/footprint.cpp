#include "checker/ir/footprint.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "checker/ir/arith.h"
#include "checker/ir/ops.h"

namespace racecheck::ir {
namespace {

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
  split_tables_ = std::none_of(program.transactions.begin(), program.transactions.end(),
                               [](const Transaction& t) { return t.isolation == Isolation::kSerializable; });
  FindCommutingAdditions();
  for (const Variable& var : program.vars) vars_.push_back(NewSpan(var.name, var.index_lo, var.size, var.is_array));
  for (size_t v = 0; v < program.vars.size(); ++v) {
    const Variable& var = program.vars[v];
    adds_.push_back(commuting_[v] ? NewSpan(var.name + " (+=)", var.index_lo, var.size, var.is_array) : Span{});
  }
  for (const Lock& lock : program.locks) locks_.push_back(NewSpan("lock " + lock.name, lock.index_lo, lock.size, lock.is_array));
  tables_first_ = static_cast<int32_t>(names_.size());
  if (split_tables_) {
    for (const ir::Table& table : program.tables) names_.push_back("table " + table.name);
  }
  if (!split_tables_ || program.tables.empty()) names_.push_back("database");
  for (const RedisDecl& decl : program.redis) {
    int32_t keys = static_cast<int32_t>(decl.keys.size());
    int64_t count = int64_t{decl.size} * keys;
    Span span{static_cast<int32_t>(names_.size()), count <= kMaxSplit && count > 0 ? static_cast<int32_t>(count) : 1};
    if (span.count == 1) {
      names_.push_back("redis " + decl.name);
    } else {
      for (int32_t e = 0; e < decl.size; ++e) {
        std::string element = decl.is_array ? decl.name + "[" + std::to_string(decl.index_lo + e) + "]" : decl.name;
        for (const RedisKey& key : decl.keys) names_.push_back(element + "." + key.name);
      }
    }
    redis_.push_back(span);
  }
  words_ = std::max<int32_t>(1, (resource_count() + 63) / 64);

  // Per process: the tables its statements use, in and out of transactions, and its snapshots.
  size_t process_count = program.processes.size();
  transaction_tables_.resize(process_count);
  snapshot_tables_.resize(process_count);
  sql_tables_.resize(process_count);
  for (size_t p = 0; p < process_count; ++p) {
    const Process& process = program.processes[p];
    std::set<int32_t> in_transaction, all;
    for (const Instr& instr : process.code) {
      if (instr.op != Op::kSql) continue;
      const SqlStatement& sql = program.sql[instr.call];
      all.insert(sql.table);
      if (!sql.autocommit) in_transaction.insert(sql.table);
    }
    transaction_tables_[p].assign(in_transaction.begin(), in_transaction.end());
    sql_tables_[p].assign(all.begin(), all.end());
    for (size_t t = 0; t < process.db.snapshot.size(); ++t) {
      if (process.db.snapshot[t] >= 0) snapshot_tables_[p].push_back(static_cast<int32_t>(t));
    }
  }

  property_reads_.assign(words_, 0);
  environment_writes_.assign(words_, 0);
  Frame none;
  for (const Property& property : program.properties) {
    if (property.kind != PropertyKind::kFinal) ExprReads(property.expr, property_reads_, none);
  }
  ForEachLeasableKey(program, [&](int32_t redis, int32_t element, int32_t key, int32_t) {
    Add(environment_writes_, RedisResource(redis, element, key));
  });

  // One table per process and set of accesses: instances whose constants lead to the same
  // accesses share their footprints.
  instance_table_.resize(program.instances.size());
  for (size_t i = 0; i < program.instances.size(); ++i) {
    const Instance& inst = program.instances[i];
    const Process& process = program.processes[inst.process];
    Frame frame = InstanceFrame(inst);
    std::vector<Access> own;
    own.reserve(process.code.size());
    for (size_t pc = 0; pc < process.code.size(); ++pc) {
      const Instr& instr = process.code[pc];
      own.push_back(InstrAccess(process, instr, frame));
      if (instr.op != Op::kBranchFalse) continue;
      // `if self == N - 1`: each instance goes one way only.
      if (std::optional<int64_t> condition = Constant(instr.expr, frame)) {
        own.back().next = *condition != 0 ? static_cast<int32_t>(pc) + 1 : instr.target;
      }
    }
    auto same = std::find_if(tables_.begin(), tables_.end(),
                             [&](const Table& t) { return t.process == inst.process && t.own == own; });
    if (same != tables_.end()) {
      instance_table_[i] = static_cast<int32_t>(same - tables_.begin());
      continue;
    }
    instance_table_[i] = static_cast<int32_t>(tables_.size());
    Table& table = tables_.emplace_back();
    table.process = inst.process;
    table.own = std::move(own);
    size_t size = process.code.size() * static_cast<size_t>(words_);
    table.step_reads.assign(size, 0);
    table.step_writes.assign(size, 0);
    table.future_accesses.assign(size, 0);
    table.future_writes.assign(size, 0);
    for (size_t pc = 0; pc < process.code.size(); ++pc) StepFootprint(table, static_cast<int32_t>(pc));
    FutureFootprints(table);
  }
  ChoosablePcs();
}

Footprints::Span Footprints::NewSpan(const std::string& name, int32_t lo, int32_t size, bool is_array) {
  Span span{static_cast<int32_t>(names_.size()), is_array && size > 1 && size <= kMaxSplit ? size : 1};
  if (span.count == 1) {
    names_.push_back(name);
  } else {
    // "x (+=)" names its elements "x[1] (+=)".
    std::string base = name, suffix;
    if (size_t space = name.find(' ', name.starts_with("lock ") ? 5 : 0); space != std::string::npos) {
      base = name.substr(0, space);
      suffix = name.substr(space);
    }
    for (int32_t e = 0; e < size; ++e) names_.push_back(base + "[" + std::to_string(lo + e) + "]" + suffix);
  }
  return span;
}

int32_t Footprints::RedisResource(int32_t redis, int32_t element, int32_t key) const {
  const Span& span = redis_[redis];
  if (span.count == 1) return span.first;
  int32_t keys = static_cast<int32_t>(program_.redis[redis].keys.size());
  return span.first + element * keys + key;
}

void Footprints::Add(ResourceSet& set, int32_t resource) const {
  set[resource / 64] |= uint64_t{1} << (resource % 64);
}

// Element `index` (an expression; -1: a scalar) of a span whose first element is numbered `lo`;
// every element when the index is no constant or lies outside (a runtime error then).
void Footprints::AddSpan(ResourceSet& set, const Span& span, int32_t lo, int32_t index, const Frame& frame) const {
  if (span.count == 1 || index < 0) {
    Add(set, span.first);
    return;
  }
  std::optional<int64_t> value = Constant(index, frame);
  if (value && *value >= lo && *value - lo < span.count) {
    Add(set, span.first + static_cast<int32_t>(*value - lo));
    return;
  }
  for (int32_t e = 0; e < span.count; ++e) Add(set, span.first + e);
}

// Key `key` (or the member of its family that `key_index` picks) of the element `element` picks.
void Footprints::AddRedis(ResourceSet& set, int32_t redis, int32_t element, int32_t key, int32_t key_index,
                          const Frame& frame) const {
  const RedisDecl& decl = program_.redis[redis];
  if (redis_[redis].count == 1) {
    Add(set, redis_[redis].first);
    return;
  }
  int32_t e_lo = 0, e_hi = decl.size - 1;
  if (element >= 0) {
    std::optional<int64_t> value = Constant(element, frame);
    if (value && *value >= decl.index_lo && *value < int64_t{decl.index_lo} + decl.size) {
      e_lo = e_hi = static_cast<int32_t>(*value - decl.index_lo);
    }
  }
  // key < 0: every key of the element.
  int32_t k_lo = key < 0 ? 0 : key, k_hi = key < 0 ? static_cast<int32_t>(decl.keys.size()) - 1 : key;
  if (key >= 0 && key_index >= 0) {
    const RedisKey& first = decl.keys[key];
    std::optional<int64_t> value = Constant(key_index, frame);
    if (value && *value >= first.family_lo && *value < int64_t{first.family_lo} + first.family_size) {
      k_lo = k_hi = key + static_cast<int32_t>(*value - first.family_lo);
    } else {
      k_hi = key + std::max(first.family_size, 1) - 1;
    }
  }
  for (int32_t e = e_lo; e <= e_hi; ++e) {
    for (int32_t k = k_lo; k <= k_hi; ++k) Add(set, RedisResource(redis, e, k));
  }
}

std::optional<int64_t> Footprints::Constant(int32_t expr, const Frame& frame) const {
  if (expr < 0) return std::nullopt;
  const Expr& e = program_.exprs[expr];
  auto binary = [&](ArithFault (*op)(int64_t, int64_t, int64_t*)) -> std::optional<int64_t> {
    std::optional<int64_t> a = Constant(e.a, frame), b = Constant(e.b, frame);
    int64_t out = 0;
    if (!a || !b || op(*a, *b, &out) != ArithFault::kNone) return std::nullopt;
    return out;
  };
  switch (e.op) {
    case ExprOp::kConst:
      if (e.value == kNull) return std::nullopt;
      return e.value;
    case ExprOp::kSelf:
      return frame.self;
    case ExprOp::kLocal:
      if (e.index < 0 || static_cast<size_t>(e.index) >= frame.locals.size()) return std::nullopt;
      return frame.locals[e.index];
    case ExprOp::kNeg: {
      std::optional<int64_t> a = Constant(e.a, frame);
      int64_t out = 0;
      if (!a || Negate(*a, &out) != ArithFault::kNone) return std::nullopt;
      return out;
    }
    case ExprOp::kAdd: return binary(&ir::Add);
    case ExprOp::kSub: return binary(&ir::Sub);
    case ExprOp::kMul: return binary(&ir::Mul);
    case ExprOp::kDiv: return binary(&ir::Div);
    case ExprOp::kMod: return binary(&ir::Mod);
    case ExprOp::kLt:
    case ExprOp::kLe:
    case ExprOp::kGt:
    case ExprOp::kGe:
    case ExprOp::kEq:
    case ExprOp::kNe: {
      std::optional<int64_t> a = Constant(e.a, frame), b = Constant(e.b, frame);
      if (!a || !b) return std::nullopt;
      switch (e.op) {
        case ExprOp::kLt: return *a < *b;
        case ExprOp::kLe: return *a <= *b;
        case ExprOp::kGt: return *a > *b;
        case ExprOp::kGe: return *a >= *b;
        case ExprOp::kEq: return *a == *b;
        default: return *a != *b;
      }
    }
    default:
      return std::nullopt;
  }
}

// `self`, and the parameters with a default value that no instruction assigns.
Footprints::Frame Footprints::InstanceFrame(const Instance& instance) const {
  const Process& process = program_.processes[instance.process];
  Frame frame;
  frame.self = instance.self;
  frame.locals.assign(process.local_names.size(), std::nullopt);
  std::vector<char> assigned(process.local_names.size(), 0);
  auto assign = [&](int32_t local) {
    if (local >= 0 && static_cast<size_t>(local) < assigned.size()) assigned[local] = 1;
  };
  for (const Instr& instr : process.code) {
    assign(instr.dst);
    if (instr.op == Op::kSql) {
      for (int32_t local : program_.sql[instr.call].results) assign(local);
      assign(program_.sql[instr.call].start);
    }
  }
  if (process.crash_local >= 0) assign(process.crash_local);
  // A default may use an earlier parameter: in declaration order.
  for (const ProcessParam& param : process.params) {
    if (param.is_range || assigned[param.local]) continue;
    frame.locals[param.local] = Constant(param.value_expr, frame);
  }
  return frame;
}

// A read of an element reads its "(+=)" resource too: an addition changes what it reads.
void Footprints::VarRead(ResourceSet& reads, int32_t var, int32_t index, const Frame& frame) const {
  const Variable& v = program_.vars[var];
  AddSpan(reads, vars_[var], v.index_lo, index, frame);
  if (adds_[var].first >= 0) AddSpan(reads, adds_[var], v.index_lo, index, frame);
}

void Footprints::ExprReads(int32_t expr, ResourceSet& reads, const Frame& frame) const {
  if (expr < 0) return;
  const Expr& e = program_.exprs[expr];
  switch (e.op) {
    case ExprOp::kGlobal:
      VarRead(reads, e.var, e.a, frame);
      break;
    case ExprOp::kCell:
    case ExprOp::kTableCount:
    case ExprOp::kTableSum:
      Add(reads, TableResource(e.index));
      break;
    case ExprOp::kRedisValue:
    case ExprOp::kRedisLease:
    case ExprOp::kRedisLength:
    case ExprOp::kRedisContains:
    case ExprOp::kRedisHashGet:
      AddRedis(reads, e.index, e.a, e.var, e.key_index, frame);
      break;
    default:
      break;
  }
  ExprReads(e.a, reads, frame);
  ExprReads(e.b, reads, frame);
  ExprReads(e.key_index, reads, frame);
}

std::optional<int64_t> Footprints::GhostAddition(const Instr& instr, const Frame& frame) const {
  if (instr.op != Op::kGhostWrite || instr.expr < 0) return std::nullopt;
  const Expr& e = program_.exprs[instr.expr];
  if (e.op != ExprOp::kAdd && e.op != ExprOp::kSub) return std::nullopt;
  auto is_target = [&](int32_t operand) {
    if (operand < 0) return false;
    const Expr& g = program_.exprs[operand];
    return g.op == ExprOp::kGlobal && g.var == instr.var && g.a == instr.index;
  };
  std::optional<int64_t> amount;
  if (is_target(e.a)) {
    amount = Constant(e.b, frame);
    if (amount && e.op == ExprOp::kSub) amount = -*amount;
  } else if (e.op == ExprOp::kAdd && is_target(e.b)) {
    amount = Constant(e.a, frame);
  }
  return amount;
}

// A ghost's additions commute, overflow included, when they all have one sign: then whether
// adding a and then b goes past the bounds does not depend on the order.
void Footprints::FindCommutingAdditions() {
  size_t count = program_.vars.size();
  commuting_.assign(count, 0);
  std::vector<char> positive(count, 0), negative(count, 0);
  for (const Instance& inst : program_.instances) {
    Frame frame = InstanceFrame(inst);
    for (const Instr& instr : program_.processes[inst.process].code) {
      std::optional<int64_t> amount = GhostAddition(instr, frame);
      if (!amount) continue;
      commuting_[instr.var] = 1;
      if (*amount > 0) positive[instr.var] = 1;
      if (*amount < 0) negative[instr.var] = 1;
    }
  }
  for (size_t v = 0; v < count; ++v) {
    if (positive[v] && negative[v]) commuting_[v] = 0;
  }
}

void Footprints::SqlAccess(Access& access, const Process& process, const Instr& instr, const Frame& frame) const {
  int32_t p = static_cast<int32_t>(&process - program_.processes.data());
  const SqlStatement& sql = program_.sql[instr.call];
  ExprReads(sql.where, access.reads, frame);
  ExprReads(sql.key_expr, access.reads, frame);
  for (const SqlSet& set : sql.sets) ExprReads(set.expr, access.reads, frame);
  for (int32_t value : sql.values) ExprReads(value, access.reads, frame);
  if (!split_tables_) {
    // Under SSI a statement's reads leave marks other transactions' statements and commits look at.
    Add(access.writes, TableResource(0));
    return;
  }
  bool plain_select = sql.kind == SqlKind::kSelect && !sql.for_update;
  if (sql.autocommit) {
    // Its own transaction: it sees and locks only its table's rows.
    Add(plain_select ? access.reads : access.writes, TableResource(sql.table));
    return;
  }
  // The first statement of a repeatable-read transaction copies every table of its snapshot.
  for (int32_t t : snapshot_tables_[p]) Add(access.reads, TableResource(t));
  if (plain_select) {
    // It neither waits nor fails: it reads its table.
    Add(access.reads, TableResource(sql.table));
    return;
  }
  // It may fail, or be a deadlock's victim while it waits: the transaction rolls back and
  // releases its row locks on every table it used.
  Add(access.writes, TableResource(sql.table));
  for (int32_t t : transaction_tables_[p]) Add(access.writes, TableResource(t));
}

Footprints::Access Footprints::InstrAccess(const Process& process, const Instr& instr, const Frame& frame) const {
  Access access{ResourceSet(words_, 0), ResourceSet(words_, 0), ResourceSet(words_, 0)};
  ResourceSet& reads = access.reads;
  ResourceSet& writes = access.writes;
  int32_t p = static_cast<int32_t>(&process - program_.processes.data());
  std::optional<int64_t> addition;
  if (instr.op == Op::kGhostWrite && commuting_[instr.var]) addition = GhostAddition(instr, frame);
  ExprReads(instr.index, reads, frame);
  if (addition) {
    // g += c, c a constant: no read of g (the expression's kGlobal) and nothing else read.
  } else {
    ExprReads(instr.expr, reads, frame);
  }
  ExprReads(instr.expr2, reads, frame);
  switch (instr.op) {
    case Op::kRead:
      VarRead(reads, instr.var, instr.index, frame);
      break;
    case Op::kWrite:
    case Op::kGhostWrite: {
      const Variable& v = program_.vars[instr.var];
      if (addition) {
        AddSpan(access.adds, adds_[instr.var], v.index_lo, instr.index, frame);
        break;
      }
      AddSpan(writes, vars_[instr.var], v.index_lo, instr.index, frame);
      if (adds_[instr.var].first >= 0) AddSpan(reads, adds_[instr.var], v.index_lo, instr.index, frame);
      break;
    }
    case Op::kAcquire:
    case Op::kRelease:
      AddSpan(writes, locks_[instr.var], program_.locks[instr.var].index_lo, instr.index, frame);
      break;
    case Op::kSql:
      SqlAccess(access, process, instr, frame);
      break;
    case Op::kTxBegin:
      // It writes only its own transaction block, which nobody else reads; under SSI, as before,
      // the database.
      if (!split_tables_) Add(writes, TableResource(0));
      break;
    case Op::kTxCommit:
    case Op::kTxRollback:
      // Row locks released, versions committed, others' snapshots marked stale, on every table
      // the transaction used.
      if (!split_tables_) Add(writes, TableResource(0));
      for (int32_t t : transaction_tables_[p]) Add(writes, TableResource(t));
      break;
    case Op::kRedis: {
      const RedisOp& op = program_.redis_ops[instr.call];
      ResourceSet& keys = RedisReadsOnly(op.command) && !op.blocking ? reads : writes;
      AddRedis(keys, op.redis, op.element, op.key, op.key_index, frame);
      if (op.command == RedisCommand::kMove) AddRedis(writes, op.redis, op.element, op.target, op.target_index, frame);
      for (int32_t expr : {op.element, op.key_index, op.value, op.ttl, op.count, op.target_index}) {
        ExprReads(expr, reads, frame);
      }
      for (int32_t arg : op.args) ExprReads(arg, reads, frame);
      break;
    }
    case Op::kRedisBegin: {
      // EXEC looks at the instance's WATCH slots, which others' writes to the element's keys set.
      const RedisBlock& block = program_.redis_blocks[instr.call];
      AddRedis(reads, block.redis, block.element, -1, -1, frame);
      ExprReads(block.element, reads, frame);
      break;
    }
    case Op::kCrash: {
      for (const CrashPoint::HeldLock& held : program_.crashes[instr.call].lock_blocks) {
        AddSpan(writes, locks_[held.lock], program_.locks[held.lock].index_lo, held.index, frame);
        ExprReads(held.index, reads, frame);
      }
      if (process.db.txn >= 0) {
        if (!split_tables_) Add(writes, TableResource(0));
        for (int32_t t : sql_tables_[p]) Add(writes, TableResource(t));
      }
      for (size_t d = 0; d < process.db.watches.size() && d < program_.redis.size(); ++d) {
        if (process.db.watches[d] >= 0) AddRedis(writes, static_cast<int32_t>(d), -1, -1, -1, frame);
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

std::vector<int32_t> Footprints::Next(const Table& table, int32_t pc) const {
  if (table.own[pc].next >= 0) return {table.own[pc].next};
  return Successors(program_.processes[table.process].code, pc);
}

// Walks every path of the step from `pc` as Stepper::Run does (the same stopping rule under both
// runtimes), taking the union of what the instructions it runs touch. Where the walk cannot tell
// (a statement that may wait part way, a lock that may be held) it goes on: a larger set is safe.
void Footprints::StepFootprint(Table& table, int32_t pc) const {
  const std::vector<Instr>& code = program_.processes[table.process].code;
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
    if (event_loop && GhostWaitsForReply(program_, instr, after_external, depth)) continue;
    Union(reads, table.own[at].reads.data());
    Union(writes, table.own[at].writes.data());
    Union(writes, table.own[at].adds.data());
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
    for (int32_t next : Next(table, at)) {
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
  std::copy(reads.begin(), reads.end(), table.step_reads.begin() + offset);
  std::copy(writes.begin(), writes.end(), table.step_writes.begin() + offset);
}

void Footprints::FutureFootprints(Table& table) const {
  const std::vector<Instr>& code = program_.processes[table.process].code;
  std::vector<uint64_t>& accesses = table.future_accesses;
  std::vector<uint64_t>& writes = table.future_writes;
  for (size_t pc = 0; pc < code.size(); ++pc) {
    for (int32_t w = 0; w < words_; ++w) {
      // Additions are left out of the accesses: another instance's addition commutes with them.
      accesses[pc * words_ + w] = table.own[pc].reads[w] | table.own[pc].writes[w];
      writes[pc * words_ + w] = table.own[pc].writes[w] | table.own[pc].adds[w];
    }
  }
  // A fixpoint over the control flow graph: each pc gets what its successors may do.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t pc = code.size(); pc-- > 0;) {
      for (int32_t next : Next(table, static_cast<int32_t>(pc))) {
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

// The locks (scalar, or an element the instance names by a constant) an instance holds for certain
// at each pc: a forward must-analysis, acquire adds, release and crash take away. Two instances
// never stand at pcs that hold the same lock, whatever their footprints.
std::vector<ResourceSet> Footprints::HeldLocks(const Table& table) const {
  const std::vector<Instr>& code = program_.processes[table.process].code;
  ResourceSet exact(words_, 0), all_locks(words_, 0);
  for (size_t l = 0; l < program_.locks.size(); ++l) {
    const Lock& lock = program_.locks[l];
    bool one_slot_each = lock.copies == 1 && (!lock.is_array || lock.size == 1 || locks_[l].count > 1);
    for (int32_t e = 0; e < locks_[l].count; ++e) {
      Add(all_locks, locks_[l].first + e);
      if (one_slot_each) Add(exact, locks_[l].first + e);
    }
  }
  auto single = [&](const ResourceSet& set) {
    int32_t bits = 0;
    for (int32_t w = 0; w < words_; ++w) bits += __builtin_popcountll(set[w]);
    return bits == 1;
  };
  // Unvisited pcs start with every lock (the intersection's neutral element).
  std::vector<ResourceSet> held(code.size(), all_locks);
  std::vector<char> reached(code.size(), 0);
  if (code.empty()) return held;
  held[0].assign(words_, 0);
  reached[0] = 1;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t pc = 0; pc < code.size(); ++pc) {
      if (!reached[pc]) continue;
      ResourceSet out = held[pc];
      const Instr& instr = code[pc];
      const ResourceSet& writes = table.own[pc].writes;
      if (instr.op == Op::kAcquire && single(writes)) {
        for (int32_t w = 0; w < words_; ++w) out[w] |= writes[w] & exact[w];
      } else if (instr.op == Op::kRelease || instr.op == Op::kCrash) {
        for (int32_t w = 0; w < words_; ++w) out[w] &= ~(writes[w] & all_locks[w]);
      }
      for (int32_t next : Next(table, static_cast<int32_t>(pc))) {
        if (next < 0 || static_cast<size_t>(next) >= code.size()) continue;
        ResourceSet meet(words_);
        for (int32_t w = 0; w < words_; ++w) meet[w] = reached[next] ? held[next][w] & out[w] : out[w];
        if (!reached[next] || meet != held[next]) {
          held[next] = std::move(meet);
          reached[next] = 1;
          changed = true;
        }
      }
    }
  }
  return held;
}

// Where a step may start: the first pc, a visible instruction (a step stops before one, and a
// blocked lock, statement or atomic block leaves the instance there), and after an await.
// MayBeChosen looks at the others there only, and only where they do not hold a lock the step's
// instance holds: a larger set of pcs is safe (it can only say yes more often), and a smaller one
// would switch reduction off where it applies.
void Footprints::ChoosablePcs() {
  // Of the pcs reachable from 0, branches on constants going their one way.
  auto starts = [&](const Table& table) {
    const std::vector<Instr>& code = program_.processes[table.process].code;
    std::vector<char> reached(code.size(), 0);
    std::vector<int32_t> work{0};
    while (!work.empty()) {
      int32_t pc = work.back();
      work.pop_back();
      if (pc < 0 || static_cast<size_t>(pc) >= code.size() || reached[pc]) continue;
      reached[pc] = 1;
      for (int32_t next : Next(table, pc)) work.push_back(next);
    }
    std::vector<int32_t> pcs;
    for (size_t pc = 0; pc < code.size(); ++pc) {
      bool after_await = pc > 0 && code[pc - 1].op == Op::kAwait;
      if (reached[pc] && (pc == 0 || IsVisible(code[pc].op) || after_await)) pcs.push_back(static_cast<int32_t>(pc));
    }
    return pcs;
  };
  std::vector<int32_t> users(tables_.size(), 0);
  for (int32_t t : instance_table_) ++users[t];
  std::vector<std::vector<ResourceSet>> held;
  for (const Table& table : tables_) held.push_back(HeldLocks(table));
  const uint64_t* property = property_reads_.data();
  const uint64_t* environment = environment_writes_.data();
  for (size_t a = 0; a < tables_.size(); ++a) {
    Table& table = tables_[a];
    table.may_be_chosen.assign(program_.processes[table.process].code.size(), 0);
    for (int32_t pc : starts(table)) {
      const uint64_t* reads = table.step_reads.data() + static_cast<size_t>(pc) * words_;
      const uint64_t* writes = table.step_writes.data() + static_cast<size_t>(pc) * words_;
      if (!Disjoint(writes, property, words_) || !Disjoint(reads, environment, words_) ||
          !Disjoint(writes, environment, words_)) {
        continue;
      }
      // Some other instance (of another table, or another user of this one) somewhere.
      bool some = false;
      for (size_t b = 0; b < tables_.size() && !some; ++b) {
        if (b == a && users[a] < 2) continue;
        const Table& other = tables_[b];
        for (int32_t other_pc : starts(other)) {
          size_t at = static_cast<size_t>(other_pc) * words_;
          if (!Disjoint(held[a][pc].data(), held[b][other_pc].data(), words_)) continue;
          if (Disjoint(writes, other.future_accesses.data() + at, words_) &&
              Disjoint(reads, other.future_writes.data() + at, words_)) {
            some = true;
            break;
          }
        }
      }
      table.may_be_chosen[pc] = some ? 1 : 0;
      any_may_be_chosen_ = any_may_be_chosen_ || some;
    }
  }
}

}  // namespace racecheck::ir
