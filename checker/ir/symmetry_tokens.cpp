#include "checker/ir/symmetry_tokens.h"

#include <algorithm>
#include <cstdint>
#include <map>
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
constexpr const char* kSql = "a token reaches SQL";
constexpr const char* kCollection = "a token reaches a Redis list, hash or set";
constexpr const char* kComparedOther = "a token is compared with a value that may be neither a token nor a constant";
constexpr const char* kComparedInRange = "a token is compared with a constant in the token range";
constexpr const char* kSlotOther = "a slot that may hold a token may also hold other values";
constexpr const char* kSlotInRange = "a slot that may hold a token may hold a constant in the token range";
constexpr const char* kTwoBases = "its code makes tokens self + c with different constants c";

// What a slot or an expression may hold: the candidate's tokens, constants, other values.
struct Abstract {
  bool token = false;
  bool other = false;
  std::set<Value> consts;

  // Joins `from` in; whether anything was added.
  bool Join(const Abstract& from) {
    bool changed = (from.token && !token) || (from.other && !other);
    token |= from.token;
    other |= from.other;
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
// or a Redis key (all elements of its declaration, all members of its family).
enum class Where { kVar, kLocal, kRedis };
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

  std::string Run(SymmetryTokens* tokens) {
    do {
      changed_ = false;
      for (size_t p = 0; p < program_.processes.size(); ++p) Flow(static_cast<int32_t>(p));
      for (const Property& property : program_.properties) Use(property.expr, -1, kCondition);
    } while (changed_ && reason_.empty());
    if (!reason_.empty()) return reason_;
    if (!base_) return "its code uses self";
    // self + c must not overflow for some instances only (a runtime error tells them apart).
    if (*base_ <= kNull || *base_ + program_.processes[candidate_].instance_count - 1 > INT32_MAX) return kArithmetic;
    for (const auto& [where, value] : locations_) {
      if (!value.token) continue;
      if (value.other) return kSlotOther;
      for (Value v : value.consts) {
        if (InRange(v)) return kSlotInRange;
      }
    }
    Fill(tokens);
    return "";
  }

 private:
  bool InRange(Value v) const {
    return static_cast<int64_t>(v) >= *base_ &&
           static_cast<int64_t>(v) < *base_ + program_.processes[candidate_].instance_count;
  }
  void Refuse(const char* reason) {
    if (reason_.empty()) reason_ = reason;
  }

  // The location's value, with what it holds before anything writes it.
  Abstract& At(const Location& where) {
    auto [it, added] = locations_.try_emplace(where);
    if (!added) return it->second;
    Abstract& value = it->second;
    auto [kind, a, b] = where;
    switch (kind) {
      case Where::kLocal: value.consts.insert(0); break;  // locals start at 0, crashes and ends clear them to 0
      case Where::kVar: {
        const Variable& var = program_.vars[a];
        for (Value v : var.initial) value.Join(Abstract::Const(v));
        for (int32_t e : var.initial_exprs) value.other |= e >= 0;
        break;
      }
      case Where::kRedis: {
        for (int32_t k : FamilyKeys(a, b)) {
          const RedisKey& key = program_.redis[a].keys[k];
          if (key.IsCollection()) value.other = true;
          if (key.initially_present) value.Join(Abstract::Const(key.initial));
        }
        break;
      }
    }
    return value;
  }
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
      case ExprOp::kNe: {
        Abstract a = Eval(x.a, process);
        Abstract b = Eval(x.b, process);
        if (a.token || b.token) {
          for (const Abstract* side : {&a, &b}) {
            if (side->other) Refuse(kComparedOther);
            for (Value v : side->consts) {
              if (InRange(v)) Refuse(kComparedInRange);
            }
          }
        }
        return Abstract::Other();
      }
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
      case ExprOp::kColumn:
      case ExprOp::kCell:
      case ExprOp::kTableCount:
      case ExprOp::kTableSum: return Operands(x, process, kSql);
      case ExprOp::kRedisValue: {
        Use(x.a, process, kIndex);
        Use(x.key_index, process, kIndex);
        Abstract value = At(Redis(x.index, x.var));
        value.Join(Abstract::Const(kNull));
        value.Join(Abstract::Const(0));  // a key index out of range reads 0 (after the runtime error)
        return value;
      }
      case ExprOp::kRedisLease:
      case ExprOp::kRedisLength:
        Use(x.a, process, kIndex);
        Use(x.key_index, process, kIndex);
        return Abstract::Other();
      case ExprOp::kRedisContains:
      case ExprOp::kRedisHashGet:
        Use(x.a, process, kIndex);
        Use(x.key_index, process, kIndex);
        Use(x.b, process, kCollection);
        return Abstract::Other();
    }
    return Abstract::Other();
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
    for (const Instr& instr : process.code) Instruction(p, instr);
  }

  void Instruction(int32_t p, const Instr& instr) {
    switch (instr.op) {
      case Op::kLet: Store(Local(p, instr.dst), Eval(instr.expr, p)); break;
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

  void SqlStatement(int32_t p, const Instr& instr) {
    const ir::SqlStatement& sql = program_.sql[instr.call];
    Use(sql.where, p, kSql);
    Use(sql.key_expr, p, kSql);
    for (const SqlSet& set : sql.sets) Use(set.expr, p, kSql);
    Uses(sql.values, p, kSql);
    Uses(program_.tables[sql.table].checks, p, kSql);
    for (int32_t local : sql.results) StoreOther(p, local);
    StoreOther(p, sql.start);
    StoreOther(p, instr.dst);
  }

  void RedisCommand(int32_t p, const Instr& instr) {
    const RedisOp& op = program_.redis_ops[instr.call];
    for (int32_t e : {op.element, op.key_index, op.target_index}) Use(e, p, kIndex);
    Use(op.ttl, p, kArithmetic);
    Use(op.count, p, kArithmetic);
    Uses(op.args, p, kCollection);
    Location key = Redis(op.redis, op.key);
    Abstract result = Abstract::Other();
    switch (op.command) {
      case RedisCommand::kGet:
      case RedisCommand::kGetDel:
        result = At(key);
        result.Join(Abstract::Const(kNull));
        break;
      case RedisCommand::kSet:
      case RedisCommand::kSetNx:
        if (op.get) {
          result = At(key);
          result.Join(Abstract::Const(kNull));
        }
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
      default:
        // Lists, hashes and sets: a token must not get in (their elements are kept sorted or
        // counted); what comes out is no token.
        Use(op.value, p, kCollection);
        if (op.target >= 0) Store(Redis(op.redis, op.target), Abstract::Other());
        Store(key, Abstract::Other());
        break;
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
        case Where::kLocal:
          for (const Instance& inst : program_.instances) {
            if (inst.process == a) tokens->slots.push_back({inst.base_slot + 1 + b, -1});
          }
          if (a == candidate_) tokens->block_offsets.push_back(1 + b);
          break;
        case Where::kRedis: {
          const RedisDecl& decl = program_.redis[a];
          for (int32_t e = 0; e < decl.size; ++e) {
            for (int32_t k : FamilyKeys(a, b)) tokens->slots.push_back({decl.KeySlot(e, k), decl.KeySlot(e, k) + 1});
          }
          break;
        }
      }
    }
    std::sort(tokens->slots.begin(), tokens->slots.end(),
              [](const TokenSlot& x, const TokenSlot& y) { return x.slot < y.slot; });
    std::sort(tokens->block_offsets.begin(), tokens->block_offsets.end());
  }

  const Program& program_;
  int32_t candidate_;
  std::set<int32_t> regions_;
  std::map<Location, Abstract> locations_;
  std::optional<int64_t> base_;
  bool changed_ = false;
  std::string reason_;
};

}  // namespace

std::string FindTokens(const Program& program, int32_t process, SymmetryTokens* tokens) {
  return TokenFlow(program, process).Run(tokens);
}

}  // namespace racecheck::ir
