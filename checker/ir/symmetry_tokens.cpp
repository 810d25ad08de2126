#include "checker/ir/symmetry_tokens.h"

#include "checker/ir/assigned_locals.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

namespace racecheck::ir {
namespace {

// Why a use of a token is refused (docs/semantics.md, "Symmetry").
constexpr const char* kArithmetic = "a token is used in arithmetic";
constexpr const char* kOrder = "a token is compared with <, <=, > or >=";
constexpr const char* kIndex = "a token is used as an index";
constexpr const char* kCondition = "a token is used as a condition";
constexpr const char* kSetMember = "a token reaches a Redis set";
constexpr const char* kComparedOther = "a token is compared with a value that may be neither a token nor a constant";
constexpr const char* kComparedInRange = "a token is compared with a constant in the token range";
constexpr const char* kComparedUnusedZero =
    "a token is compared with a value read from a list or hash, whose unused slots hold 0, the token of "
    "instance 0 (tokens self + 1 avoid it)";
constexpr const char* kSlotOther = "a slot that may hold a token may also hold other values";
constexpr const char* kSlotInRange = "a slot that may hold a token may hold a constant in the token range";
constexpr const char* kTwoBases = "its code makes tokens self + c with different constants c";
constexpr const char* kBeforeLet =
    "a local that may hold a token is written by an instruction that may also leave it as it was, or is a "
    "copy of a shared read that a state may hold both read and not, and its 0 there is a token";

// What a slot or an expression may hold: the candidate's tokens, constants, other values.
struct Abstract {
  bool token = false;
  bool other = false;
  std::set<Value> consts;
  // Its 0 may be a list's or hash's unused slot (the reason a refusal names then).
  bool unused_zero = false;

  // Joins `from` in; whether anything was added.
  bool Join(const Abstract& from) {
    bool changed = (from.token && !token) || (from.other && !other) || (from.unused_zero && !unused_zero);
    token |= from.token;
    other |= from.other;
    unused_zero |= from.unused_zero;
    for (Value v : from.consts) changed |= consts.insert(v).second;
    // A slot of many constants is a counter or the like: give up on listing them.
    if (consts.size() > kMaxConsts) {
      consts.clear();
      changed |= !other;
      other = true;
    }
    return changed;
  }
  static Abstract Other() {
    Abstract a;
    a.other = true;
    return a;
  }
  static Abstract Token() {
    Abstract a;
    a.token = true;
    return a;
  }
  static Abstract Const(Value v) {
    Abstract a;
    a.consts.insert(v);
    return a;
  }
  static constexpr size_t kMaxConsts = 32;
};

// A location: a variable (all its elements and copies), a local of a process (in every instance),
// a Redis key (all elements of its declaration, all members of its family: a plain key's value, a
// list's elements, a hash's values), or a table's column
// (every row, its committed and pending versions and every snapshot of it).
enum class Where { kVar, kLocal, kRedis, kColumn };
using Location = std::tuple<Where, int32_t, int32_t>;

// Flows values through the whole program to a fixpoint: which locations may hold the
// candidate's tokens, and whether every use of one is a copy or an equality comparison.
class TokenFlow {
 public:
  TokenFlow(const Program& program, int32_t candidate) : program_(program), candidate_(candidate) {
    for (const Process& process : program.processes) {
      if (process.region_var >= 0) regions_.insert(process.region_var);
    }
  }

  // The source line where Run's reason showed; 0 for a reason about a location as a whole.
  int32_t reason_line() const { return reason_line_; }

  std::string Run(SymmetryTokens* tokens) {
    do {
      changed_ = false;
      for (size_t p = 0; p < program_.processes.size(); ++p) Flow(static_cast<int32_t>(p));
      for (const Property& property : program_.properties) {
        line_ = property.range.begin.line;
        Use(property.expr, -1, kCondition);
      }
    } while (changed_ && reason_.empty());
    if (!reason_.empty()) return reason_;
    reason_line_ = 0;
    if (!base_) return "its code uses self";
    // self + c must not overflow for some instances only (a runtime error tells them apart).
    if (*base_ <= kNull || *base_ + program_.processes[candidate_].instance_count - 1 > INT32_MAX) return kArithmetic;
    for (const auto& [where, value] : locations_) {
      if (!value.token) continue;
      if (value.other) return kSlotOther;
      for (Value v : value.consts) {
        if (InRange(v)) return kSlotInRange;
      }
      // A declared local whose starting 0 is a token's value: renamed only where its let has run.
      auto [kind, p, local] = where;
      if (kind != Where::kLocal || !WrittenBeforeRead(p, local) || !InRange(0)) continue;
      std::optional<std::vector<char>> at = AssignedAt(program_, program_.processes[p], local);
      if (!at) return kBeforeLet;
      assigned_at_[{p, local}] = std::make_shared<const std::vector<char>>(std::move(*at));
    }
    Fill(tokens);
    return "";
  }

 private:
  bool InRange(Value v) const {
    return static_cast<int64_t>(v) >= *base_ &&
           static_cast<int64_t>(v) < *base_ + program_.processes[candidate_].instance_count;
  }
  // A local that nothing reads before the code writes it: one the model declares (the front end
  // reads none before its let), a fn's inlined copy (its parameters are lets at the call, its
  // result is set by the return that ends every path of its body), or the compiler's hidden copy
  // of a shared read ("read x", written just before the statement that uses it). Not a
  // parameter, nor another hidden local (the crash count, a crash's choice).
  bool WrittenBeforeRead(int32_t p, int32_t local) const {
    const Process& process = program_.processes[p];
    for (const ProcessParam& param : process.params) {
      if (param.local == local) return false;
    }
    return !IsHidden(program_, process, local) || IsReadCopy(program_, process, local);
  }
  void Refuse(const char* reason) {
    if (!reason_.empty()) return;
    reason_ = in_check_ ? std::string("in a check constraint, ") + reason : std::string(reason);
    reason_line_ = line_;
  }

  // The location's value, with what it holds before anything writes it.
  Abstract& At(const Location& where) {
    auto [it, added] = locations_.try_emplace(where);
    if (!added) return it->second;
    Abstract& value = it->second;
    auto [kind, a, b] = where;
    switch (kind) {
      // Locals start at 0, and crashes and ends clear them to 0. Nothing reads a declared local
      // before its let, so only the pcs where it holds that 0 matter (Run, AssignedAt).
      case Where::kLocal:
        if (!WrittenBeforeRead(a, b)) value.consts.insert(0);
        break;
      case Where::kVar: {
        const Variable& var = program_.vars[a];
        for (Value v : var.initial) value.Join(Abstract::Const(v));
        for (int32_t e : var.initial_exprs) value.other |= e >= 0;
        break;
      }
      case Where::kRedis: {
        for (int32_t k : FamilyKeys(a, b)) {
          const RedisKey& key = program_.redis[a].keys[k];
          if (key.IsSet()) value.other = true;  // members are kept in ascending order
          if (key.IsList() || key.IsHash()) {
            Abstract unused = Abstract::Const(0);
            unused.unused_zero = true;
            value.Join(unused);
            for (Value v : key.IsList() ? key.initial_elements : key.initial_values) value.Join(Abstract::Const(v));
          }
          if (key.initially_present && !key.IsCollection()) value.Join(Abstract::Const(key.initial));
        }
        break;
      }
      case Where::kColumn: {
        const Table& table = program_.tables[a];
        for (size_t r = 0; r < table.initial_rows.size(); ++r) {
          bool computed = r < table.initial_exprs.size() && table.initial_exprs[r][b] >= 0;
          value.Join(computed ? Abstract::Other() : Abstract::Const(table.initial_rows[r][b]));
        }
        break;
      }
    }
    return value;
  }
  // What a read of the location gives when it may also find nothing (an absent key, an empty
  // list, a missing field or row): NULL.
  Abstract AtOrNull(const Location& where) {
    Abstract value = At(where);
    value.Join(Abstract::Const(kNull));
    return value;
  }
  Location Column(int32_t table, int32_t column) const { return {Where::kColumn, table, column}; }
  // Whether the table's column may hold a token.
  bool TokenIn(int32_t table, int32_t column) { return column >= 0 && At(Column(table, column)).token; }
  void Store(const Location& where, const Abstract& value) { changed_ |= At(where).Join(value); }
  Location Local(int32_t process, int32_t local) const { return {Where::kLocal, process, local}; }
  Location Redis(int32_t decl, int32_t key) const {
    const std::vector<RedisKey>& keys = program_.redis[decl].keys;
    while (key > 0 && !keys[key].family.empty() && keys[key - 1].family == keys[key].family) --key;
    return {Where::kRedis, decl, key};
  }
  std::vector<int32_t> FamilyKeys(int32_t decl, int32_t first) const {
    const RedisKey& key = program_.redis[decl].keys[first];
    std::vector<int32_t> keys;
    for (int32_t k = first; k < first + std::max(1, key.family_size); ++k) keys.push_back(k);
    return keys;
  }

  Abstract MakeToken(Value c) {
    if (!base_) base_ = c;
    if (*base_ != c) Refuse(kTwoBases);
    return Abstract::Token();
  }
  bool IsConst(int32_t e) const { return program_.exprs[e].op == ExprOp::kConst && program_.exprs[e].value != kNull; }
  bool IsSelf(int32_t e) const { return program_.exprs[e].op == ExprOp::kSelf; }

  // The value of expression `e` evaluated by `process` (-1: a property).
  Abstract Eval(int32_t e, int32_t process) {
    if (e < 0) return {};
    const Expr& x = program_.exprs[e];
    bool own = process == candidate_;
    switch (x.op) {
      case ExprOp::kConst: return Abstract::Const(x.value);
      case ExprOp::kSelf: return own ? MakeToken(0) : Abstract::Other();
      case ExprOp::kLocal: return process < 0 ? Abstract::Other() : At(Local(process, x.index));
      case ExprOp::kGlobal:
        // A takes region is read at self only (ExprScan checks it), and holds a time.
        if (regions_.count(x.var) > 0) return Abstract::Other();
        Use(x.a, process, kIndex);
        return At({Where::kVar, x.var, 0});
      case ExprOp::kParam: return Abstract::Other();
      case ExprOp::kAdd:
        if (own && IsSelf(x.a) && IsConst(x.b)) return MakeToken(program_.exprs[x.b].value);
        if (own && IsSelf(x.b) && IsConst(x.a)) return MakeToken(program_.exprs[x.a].value);
        return Operands(x, process, kArithmetic);
      case ExprOp::kSub:
        if (own && IsSelf(x.a) && IsConst(x.b)) return MakeToken(-program_.exprs[x.b].value);
        return Operands(x, process, kArithmetic);
      case ExprOp::kNeg:
      case ExprOp::kMul:
      case ExprOp::kDiv:
      case ExprOp::kMod:
      case ExprOp::kMin:
      case ExprOp::kMax:
      case ExprOp::kAbs: return Operands(x, process, kArithmetic);
      case ExprOp::kLt:
      case ExprOp::kLe:
      case ExprOp::kGt:
      case ExprOp::kGe: return Operands(x, process, kOrder);
      case ExprOp::kEq:
      case ExprOp::kNe: Compared(Eval(x.a, process), Eval(x.b, process)); return Abstract::Other();
      case ExprOp::kNot:
      case ExprOp::kAnd:
      case ExprOp::kOr: return Operands(x, process, kCondition);
      case ExprOp::kIte:
        Use(x.a, process, kCondition);
        return Eval(x.b, process);
      case ExprOp::kBranches:
      case ExprOp::kCoalesce: {
        Abstract value = Eval(x.a, process);
        value.Join(Eval(x.b, process));
        return value;
      }
      case ExprOp::kIsNull:
        Eval(x.a, process);
        return Abstract::Other();
      case ExprOp::kColumn: return table_ < 0 ? Abstract::Other() : At(Column(table_, x.index));
      case ExprOp::kCell: {
        Use(x.a, process, kIndex);  // the key looked up
        return AtOrNull(Column(x.index, x.var));
      }
      case ExprOp::kTableCount:
      case ExprOp::kTableSum: {
        int32_t outer = table_;
        table_ = x.index;
        Use(x.a, process, kCondition);
        if (x.op == ExprOp::kTableSum && TokenIn(x.index, x.var)) Refuse(kArithmetic);
        table_ = outer;
        return Abstract::Other();
      }
      case ExprOp::kRedisValue: {
        Use(x.a, process, kIndex);
        Use(x.key_index, process, kIndex);
        Abstract value = AtOrNull(Redis(x.index, x.var));
        value.Join(Abstract::Const(0));  // a key index out of range reads 0 (after the runtime error)
        return value;
      }
      case ExprOp::kRedisLease:
      case ExprOp::kRedisLength:
        Use(x.a, process, kIndex);
        Use(x.key_index, process, kIndex);
        return Abstract::Other();
      case ExprOp::kRedisContains: {
        Use(x.a, process, kIndex);
        Use(x.key_index, process, kIndex);
        const RedisKey& key = program_.redis[x.index].keys[x.var];
        if (key.IsList()) {
          Compared(Eval(x.b, process), At(Redis(x.index, x.var)));  // an element equal to b
        } else {
          Use(x.b, process, key.IsHash() ? kIndex : kSetMember);
        }
        return Abstract::Other();
      }
      case ExprOp::kRedisHashGet: {
        Use(x.a, process, kIndex);
        Use(x.key_index, process, kIndex);
        Use(x.b, process, kIndex);  // the field
        return AtOrNull(Redis(x.index, x.var));
      }
    }
    return Abstract::Other();
  }
  // `a` and `b` are compared with = or != (also LREM, a list's contains): renaming tokens keeps
  // the outcome when each side may hold only tokens and constants outside the token range.
  void Compared(const Abstract& a, const Abstract& b) {
    if (!a.token && !b.token) return;
    for (const Abstract* side : {&a, &b}) {
      if (side->other) Refuse(kComparedOther);
      for (Value v : side->consts) {
        if (InRange(v)) Refuse(v == 0 && side->unused_zero ? kComparedUnusedZero : kComparedInRange);
      }
    }
  }
  // Every operand of `x` is used as `reason` says; the result is no token.
  Abstract Operands(const Expr& x, int32_t process, const char* reason) {
    Use(x.a, process, reason);
    Use(x.b, process, reason);
    Use(x.key_index, process, reason);
    return Abstract::Other();
  }
  void Use(int32_t e, int32_t process, const char* reason) {
    if (Eval(e, process).token) Refuse(reason);
  }
  void Uses(const std::vector<int32_t>& exprs, int32_t process, const char* reason) {
    for (int32_t e : exprs) Use(e, process, reason);
  }
  void StoreOther(int32_t process, int32_t local) {
    if (local >= 0) Store(Local(process, local), Abstract::Other());
  }

  void Flow(int32_t p) {
    const Process& process = program_.processes[p];
    line_ = process.range.begin.line;
    for (const ProcessParam& param : process.params) {
      if (param.is_range) {
        Use(param.lo_expr, p, kArithmetic);
        Use(param.hi_expr, p, kArithmetic);
        StoreOther(p, param.local);
      } else {
        Store(Local(p, param.local), Eval(param.value_expr, p));
      }
    }
    StoreOther(p, process.crash_local);
    for (const Instr& instr : process.code) {
      line_ = instr.statement >= 0 ? program_.statements[instr.statement].range.begin.line : 0;
      Instruction(p, instr);
    }
  }

  void Instruction(int32_t p, const Instr& instr) {
    switch (instr.op) {
      case Op::kLet:
        // A read copy's clearing is no value anyone reads (AssignedAt counts it as its start).
        if (IsReadCopy(program_, program_.processes[p], instr.dst) && program_.exprs[instr.expr].op == ExprOp::kConst) break;
        Store(Local(p, instr.dst), Eval(instr.expr, p));
        break;
      case Op::kRead:
        if (regions_.count(instr.var) > 0) {
          StoreOther(p, instr.dst);
          break;
        }
        Use(instr.index, p, kIndex);
        Store(Local(p, instr.dst), At({Where::kVar, instr.var, 0}));
        break;
      case Op::kWrite:
      case Op::kGhostWrite:
        if (regions_.count(instr.var) > 0) {
          Use(instr.expr, p, kArithmetic);
          break;
        }
        Use(instr.index, p, kIndex);
        Store({Where::kVar, instr.var, 0}, Eval(instr.expr, p));
        break;
      case Op::kAcquire:
      case Op::kRelease: Use(instr.index, p, kIndex); break;
      case Op::kBranchFalse:
      case Op::kAssert:
      case Op::kAssume: Use(instr.expr, p, kCondition); break;
      case Op::kChoose:
        Use(instr.expr, p, kArithmetic);
        Use(instr.expr2, p, kArithmetic);
        StoreOther(p, instr.dst);
        break;
      case Op::kSql: SqlStatement(p, instr); break;
      case Op::kTxCommit: StoreOther(p, instr.dst); break;
      case Op::kRedis: RedisCommand(p, instr); break;
      case Op::kRedisBegin:
        Use(program_.redis_blocks[instr.call].element, p, kIndex);
        StoreOther(p, instr.dst);
        break;
      case Op::kCrash:
        for (const CrashPoint::HeldLock& held : program_.crashes[instr.call].lock_blocks) Use(held.index, p, kIndex);
        break;
      case Op::kAtomicBegin:
      case Op::kAtomicEnd:
      case Op::kAwait:
      case Op::kJump:
      case Op::kEnd:
      case Op::kTxBegin:
      case Op::kTxRollback:
      case Op::kTxRaise:
      case Op::kTxHandled:
      case Op::kRedisEnd: break;
    }
  }

  // A statement's expressions read the row's columns (kColumn) of its table. A column may hold
  // tokens copied in by set and values, compared with = and != and copied out by select and
  // returning; the key (rows are found and kept unique by it), order by, sum, min and max refuse one.
  void SqlStatement(int32_t p, const Instr& instr) {
    const ir::SqlStatement& sql = program_.sql[instr.call];
    const Table& table = program_.tables[sql.table];
    table_ = sql.table;
    if (TokenIn(sql.table, table.key_column)) Refuse(kIndex);
    Use(sql.where, p, kCondition);
    Use(sql.key_expr, p, kIndex);
    for (const SqlSet& set : sql.sets) Store(Column(sql.table, set.column), Eval(set.expr, p));
    for (size_t c = 0; c < sql.values.size(); ++c) {
      // A column the insert does not give holds NULL (an expression) or 0 (-1).
      Abstract value = sql.values[c] >= 0 ? Eval(sql.values[c], p) : Abstract::Const(0);
      Store(Column(sql.table, static_cast<int32_t>(c)), value);
    }
    // Said where the token goes into the key (the insert), not at the next statement on the table.
    if (TokenIn(sql.table, table.key_column)) Refuse(kIndex);
    // A check constraint's use is said at the check, where the statement's line would point at
    // code that only stores the token (round 19).
    for (size_t k = 0; k < table.checks.size(); ++k) {
      int32_t statement_line = line_;
      line_ = table.check_lines[k];
      in_check_ = true;
      Use(table.checks[k], p, kCondition);
      in_check_ = false;
      line_ = statement_line;
    }
    for (const SqlOrder& order : sql.order_by) {
      if (TokenIn(sql.table, order.column)) Refuse(kOrder);
    }
    SqlResults(p, sql);
    table_ = -1;
    StoreOther(p, sql.start);
    StoreOther(p, instr.dst);
  }

  void SqlResults(int32_t p, const ir::SqlStatement& sql) {
    if (sql.results.empty()) return;
    if (sql.many_rows && !sql.items.empty()) {
      // Row after row, 0 past the last row found; then how many were found.
      for (size_t k = 0; k + 1 < sql.results.size(); ++k) {
        Abstract value = At(Column(sql.table, sql.items[k % sql.items.size()].column));
        value.Join(Abstract::Const(0));
        Store(Local(p, sql.results[k]), value);
      }
      StoreOther(p, sql.results.back());
      return;
    }
    if (sql.items.empty()) {
      StoreOther(p, sql.results[0]);  // the number of rows changed
      return;
    }
    for (size_t k = 0; k < sql.items.size() && k < sql.results.size(); ++k) {
      const SelectItem& item = sql.items[k];
      Abstract value = Abstract::Other();
      switch (item.kind) {
        case SelectItem::Kind::kColumn:
          value = AtOrNull(Column(sql.table, item.column));
          break;
        case SelectItem::Kind::kCount: break;
        case SelectItem::Kind::kSum:
          if (TokenIn(sql.table, item.column)) Refuse(kArithmetic);
          break;
        case SelectItem::Kind::kMin:
        case SelectItem::Kind::kMax:
          if (TokenIn(sql.table, item.column)) Refuse(kOrder);
          break;
      }
      Store(Local(p, sql.results[k]), value);
    }
  }

  void RedisCommand(int32_t p, const Instr& instr) {
    const RedisOp& op = program_.redis_ops[instr.call];
    for (int32_t e : {op.element, op.key_index, op.target_index}) Use(e, p, kIndex);
    Use(op.ttl, p, kArithmetic);
    Use(op.count, p, kArithmetic);
    Location key = Redis(op.redis, op.key);
    Abstract result = Abstract::Other();
    switch (op.command) {
      case RedisCommand::kGet:
      case RedisCommand::kGetDel:
        result = AtOrNull(key);
        break;
      case RedisCommand::kSet:
      case RedisCommand::kSetNx:
        if (op.get) result = AtOrNull(key);
        Store(key, Eval(op.value, p));
        break;
      case RedisCommand::kIncr:
      case RedisCommand::kDecr:
      case RedisCommand::kIncrBy:
      case RedisCommand::kDecrBy:
        if (At(key).token) Refuse(kArithmetic);
        Use(op.value, p, kArithmetic);
        Store(key, Abstract::Other());
        break;
      case RedisCommand::kDel:
      case RedisCommand::kExists:
      case RedisCommand::kWatch:
      case RedisCommand::kExpire:
      case RedisCommand::kPersist:
      case RedisCommand::kTtl: Use(op.value, p, kArithmetic); break;
      // Lists keep their elements in the order they came, whatever they are: a token is copied
      // in and out and compared for equality (LREM).
      case RedisCommand::kPush: Store(key, Eval(op.value, p)); break;
      case RedisCommand::kPop: result = AtOrNull(key); break;
      case RedisCommand::kMove:
        Store(Redis(op.redis, op.target), At(key));
        result = AtOrNull(key);
        break;
      case RedisCommand::kLen: break;
      case RedisCommand::kRem: Compared(Eval(op.value, p), At(key)); break;
      // Hashes keep their fields in ascending order: a field must not be a token, a value may.
      case RedisCommand::kHGet:
        Uses(op.args, p, kIndex);
        result = AtOrNull(key);
        break;
      case RedisCommand::kHSet:
      case RedisCommand::kHSetNx:
        for (size_t a = 0; a + 1 < op.args.size(); a += 2) {
          Use(op.args[a], p, kIndex);
          Store(key, Eval(op.args[a + 1], p));
        }
        break;
      case RedisCommand::kHIncrBy:
        if (At(key).token) Refuse(kArithmetic);
        Use(op.args[0], p, kIndex);
        Use(op.args[1], p, kArithmetic);
        Store(key, Abstract::Other());
        break;
      case RedisCommand::kHDel:
      case RedisCommand::kHExists: Uses(op.args, p, kIndex); break;
      case RedisCommand::kHLen: break;
      // Sets keep their members in ascending order: a token must not get in.
      case RedisCommand::kSAdd:
      case RedisCommand::kSRem:
      case RedisCommand::kSIsMember:
      case RedisCommand::kSCard: Uses(op.args, p, kSetMember); break;
    }
    if (instr.dst >= 0) Store(Local(p, instr.dst), result);
  }

  // The slots of every location that may hold a token.
  void Fill(SymmetryTokens* tokens) {
    tokens->any = true;
    tokens->base = static_cast<Value>(*base_);
    for (const auto& [where, value] : locations_) {
      if (!value.token) continue;
      auto [kind, a, b] = where;
      switch (kind) {
        case Where::kVar: {
          const Variable& var = program_.vars[a];
          for (int32_t s = 0; s < var.size * var.copies; ++s) tokens->slots.push_back({var.first_slot + s, -1});
          break;
        }
        case Where::kLocal: {
          auto at = assigned_at_.find({a, b});
          std::shared_ptr<const std::vector<char>> pcs = at == assigned_at_.end() ? nullptr : at->second;
          for (const Instance& inst : program_.instances) {
            if (inst.process == a) tokens->slots.push_back({inst.base_slot + 1 + b, -1, pcs ? inst.base_slot : -1, pcs});
          }
          if (a == candidate_) tokens->block_offsets.push_back(1 + b);
          if (a == candidate_ && pcs) tokens->offset_pcs[1 + b] = pcs;
          break;
        }
        case Where::kRedis: {
          const RedisDecl& decl = program_.redis[a];
          for (int32_t e = 0; e < decl.size; ++e) {
            for (int32_t k : FamilyKeys(a, b)) {
              const RedisKey& key = decl.keys[k];
              int32_t slot = decl.KeySlot(e, k);
              if (!key.IsCollection()) {
                tokens->slots.push_back({slot, slot + 1});  // the value, while the key is present
                continue;
              }
              // A list's elements, a hash's values: unused ones hold 0, no token.
              for (int32_t i = 0; i < key.capacity; ++i) {
                tokens->slots.push_back({key.IsHash() ? slot + 2 + 2 * i : slot + 1 + i, -1});
              }
            }
          }
          break;
        }
        case Where::kColumn: FillColumn(a, b, tokens); break;
      }
    }
    std::sort(tokens->slots.begin(), tokens->slots.end(),
              [](const TokenSlot& x, const TokenSlot& y) { return x.slot < y.slot; });
    std::sort(tokens->block_offsets.begin(), tokens->block_offsets.end());
  }

  // Every copy of a column's values, each counted while its row version exists: the committed
  // row, the owner's pending version, and each instance's repeatable-read snapshot.
  void FillColumn(int32_t t, int32_t column, SymmetryTokens* tokens) const {
    const Table& table = program_.tables[t];
    for (int32_t r = 0; r < table.capacity; ++r) {
      tokens->slots.push_back({table.ValueSlot(r, column), table.ExistsSlot(r)});
      tokens->slots.push_back({table.PendingValueSlot(r, column), table.PendingExistsSlot(r)});
    }
    int32_t row_width = table.column_count() + 1;  // [exists, values...]
    for (const Instance& inst : program_.instances) {
      const ProcessDb& db = program_.processes[inst.process].db;
      if (db.snapshot.empty() || db.snapshot[t] < 0) continue;
      for (int32_t r = 0; r < table.capacity; ++r) {
        int32_t row = inst.base_slot + db.snapshot[t] + r * row_width;
        tokens->slots.push_back({row + 1 + column, row});
      }
    }
    const ProcessDb& own = program_.processes[candidate_].db;
    if (own.snapshot.empty() || own.snapshot[t] < 0) return;
    for (int32_t r = 0; r < table.capacity; ++r) tokens->block_offsets.push_back(own.snapshot[t] + r * row_width + 1 + column);
  }

  const Program& program_;
  int32_t candidate_;
  int32_t table_ = -1;  // the table whose row kColumn reads (a statement's, a property's count or sum)
  std::set<int32_t> regions_;
  std::map<Location, Abstract> locations_;
  // Declared locals whose starting 0 is a token's value: the pcs where they hold an assigned one.
  std::map<std::pair<int32_t, int32_t>, std::shared_ptr<const std::vector<char>>> assigned_at_;
  std::optional<int64_t> base_;
  bool changed_ = false;
  std::string reason_;
  bool in_check_ = false;    // flowing a table's check constraint (the reason says so)
  int32_t line_ = 0;         // the source line of what is being flowed
  int32_t reason_line_ = 0;  // line_ when reason_ was found
};

}  // namespace

std::string FindTokens(const Program& program, int32_t process, SymmetryTokens* tokens, int32_t* line) {
  TokenFlow flow(program, process);
  std::string reason = flow.Run(tokens);
  *line = reason.empty() ? 0 : flow.reason_line();
  return reason;
}

}  // namespace racecheck::ir
