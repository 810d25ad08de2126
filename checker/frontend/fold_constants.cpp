#include "checker/frontend/fold_constants.h"

#include <fmt/format.h>

#include <limits>
#include <optional>

#include "checker/ast/printer.h"

namespace racecheck::frontend {
namespace {

using namespace racecheck::ast;

// -2^31 is NULL's representation (ir::kNull), so integers start one above it.
constexpr int64_t kMinValue = std::numeric_limits<int32_t>::min() + 1;
constexpr int64_t kMaxValue = std::numeric_limits<int32_t>::max();
// Arrays, instance counts and replicas past these would not fit any state space anyway.
constexpr int64_t kMaxArraySize = 4096;
// Each member of a key family is a key of its own in every state: keep families small.
constexpr int64_t kMaxKeyFamily = 64;
constexpr int64_t kMaxInstances = 64;
// Every replica crash the bound allows is another environment move in every run: keep it small.
constexpr int64_t kMaxReplicaCrashes = 10;
// A list key's elements each take a slot of every state: keep lists short.
constexpr int64_t kMaxListBound = 32;  // ir::kMaxRedisList
constexpr int64_t kMaxTableRows = 64;  // each row is a dozen state slots or more

bool IsLiteral(const Expr& e) { return e.kind == ExprKind::kInt || e.kind == ExprKind::kBool; }

class Folder {
 public:
  Folder(Model& model, const std::vector<ConstOverride>& overrides, base::DiagnosticEngine& diags)
      : model_(model), overrides_(overrides), diags_(diags) {}

  void Run() {
    ApplyOverrides();
    for (size_t i = 0; i < model_.consts.size(); ++i) {
      ConstDecl& c = model_.consts[i];
      ReportLaterConstants(*c.value, i);
      int errors_before = diags_.error_count();
      Fold(c.value);
      if (!IsLiteral(*c.value) && diags_.error_count() == errors_before) {
        diags_.Error(c.value->range.begin, fmt::format("the value of constant '{}' must be known before the model "
                                                       "runs (numbers, true/false and other constants)", c.name));
      }
    }
    for (ParamDecl& p : model_.params) {
      RequireInt(p.lo, "a parameter's lower bound");
      RequireInt(p.hi, "a parameter's upper bound");
      CheckRange(*p.lo, *p.hi, p.name);
    }
    if (model_.runtime.replicas) RequireCount(model_.runtime.replicas, "the number of replicas", 1, kMaxInstances);
    if (model_.replica_crash.bound) RequireCount(model_.replica_crash.bound, "a replica crash bound", 1, kMaxReplicaCrashes);
    for (VarDecl& v : model_.vars) {
      FoldShape(v.shape.get());
      for (ExprPtr& e : v.init) {
        Fold(e);
        CheckInitialValue(*e, v.name);
      }
      CheckInitializer(v);
    }
    for (LockDecl& l : model_.locks) FoldShape(l.shape.get());
    for (TableDecl& t : model_.tables) {
      for (auto& row : t.rows) {
        for (size_t c = 0; c < row.size(); ++c) FoldCell(t, c, row[c]);
      }
      for (ExprPtr& e : t.checks) Fold(e);
      if (t.room) RequireCount(t.room, "the rows a table has room for ('rows N')", 1, kMaxTableRows);
      if (t.room && t.room->kind == ExprKind::kInt && static_cast<int64_t>(t.rows.size()) > t.room->int_value) {
        diags_.Error(t.row_ranges[t.room->int_value].begin,
                     fmt::format("table '{}' has room for {} ('rows {}'), but starts with {} rows: raise its room",
                                 t.name, t.room->int_value == 1 ? "1 row" : fmt::format("{} rows", t.room->int_value),
                                 t.room->int_value, t.rows.size()));
      }
    }
    for (RedisDecl& r : model_.redis) {
      FoldShape(r.shape.get());
      for (RedisKey& k : r.keys) {
        FoldShape(k.shape.get(), "a key family", kMaxKeyFamily);
        if (k.initial) RequireValue(k.initial, "a key's initial value");
        std::string kind = k.kind.empty() ? "list" : k.kind;
        const char* part = k.IsHash() ? "field" : k.IsSet() ? "member" : "element";
        if (k.bound) RequireCount(k.bound, fmt::format("the bound of a {}", kind).c_str(), 1, kMaxListBound);
        for (ExprPtr& e : k.elements) RequireValue(e, fmt::format("a {} of a {}", part, kind).c_str());
        for (ExprPtr& e : k.values) RequireValue(e, "the value of a hash field");
        if (k.bound && k.bound->kind == ExprKind::kInt && static_cast<int64_t>(k.elements.size()) > k.bound->int_value) {
          diags_.Error(k.elements[k.bound->int_value]->range.begin,
                       fmt::format("{} key '{}' holds at most {} {}s, but starts with {}: raise its bound", kind, k.name,
                                   k.bound->int_value, part, k.elements.size()));
        }
        // A set holds each member once and a hash each field once: a repeated one is a slip.
        for (size_t i = 0; i < k.elements.size() && (k.IsHash() || k.IsSet()); ++i) {
          for (size_t j = 0; j < i; ++j) {
            const Expr& a = *k.elements[i];
            const Expr& b = *k.elements[j];
            if (ExprText(a) == ExprText(b)) {
              diags_.Error(a.range.begin, fmt::format("{} key '{}' starts with {} {} twice", kind, k.name, part,
                                                      ExprText(a)));
              break;
            }
          }
        }
      }
    }
    for (ProcessDecl& p : model_.processes) {
      if (p.count) RequireCount(p.count, "the number of instances", 1, kMaxInstances);
      if (p.replica) Fold(p.replica);
      if (p.crash_retries) RequireCount(p.crash_retries, "a crash retry bound", 0, 1000);
      for (ProcessParam& param : p.params) {
        if (param.value) Fold(param.value);
        if (param.is_range) {
          RequireInt(param.lo, "a parameter's lower bound");
          RequireInt(param.hi, "a parameter's upper bound");
          CheckRange(*param.lo, *param.hi, param.name);
        }
      }
      FoldBlock(p.body);
    }
    for (PropertyDecl& p : model_.properties) Fold(p.expr);
  }

 private:
  void ApplyOverrides() {
    for (const ConstOverride& o : overrides_) {
      bool found = false;
      for (ConstDecl& c : model_.consts) {
        if (c.name != o.name) continue;
        found = true;
        c.overridden = true;
        // Said as the --set it is, not at the uses of the constant or at its literal in the file.
        bool declared_bool = c.value->kind == ExprKind::kBool;
        bool declared_int = c.value->kind == ExprKind::kInt;
        if ((o.is_bool && declared_int) || (!o.is_bool && declared_bool)) {
          diags_.FileError(fmt::format("--set {0}={1}: {0} is {2} in the model (line {3}), and {1} is not",
                                       o.name, o.is_bool ? (o.value != 0 ? "true" : "false") : std::to_string(o.value),
                                       declared_bool ? "true or false" : "a number", c.range.begin.line));
          continue;
        }
        if (!o.is_bool && (o.value < kMinValue || o.value > kMaxValue)) {
          diags_.FileError(fmt::format("--set {}={}: outside racecheck's integers ({}..{}; -2147483648 stands for "
                                       "null)", o.name, o.value, kMinValue, kMaxValue));
          continue;
        }
        SourceRange range = c.value->range;
        c.value = std::make_unique<Expr>(range, o.is_bool ? ExprKind::kBool : ExprKind::kInt);
        c.value->int_value = o.value;
        c.value->bool_value = o.value != 0;
      }
      if (!found) diags_.FileError(NoConstantMessage(o.name));

    }
  }

  std::string NoConstantMessage(const std::string& name) const {
    for (const ParamDecl& p : model_.params) {
      if (p.name != name) continue;
      return fmt::format(
          "--set {0}: '{0}' is a param, not a constant: the environment chooses its value from its range, and "
          "racecheck checks every value in it. To check one value, narrow the range in the model (param {0} in "
          "V..V) or declare it `const {0} = V`",
          name);
    }
    for (const ProcessDecl& process : model_.processes) {
      for (const ProcessParam& p : process.params) {
        if (p.name != name) continue;
        return fmt::format("--set {0}: '{0}' is a parameter of process {1}, not a constant: --set overrides "
                           "only `const` declarations",
                           name, process.name);
      }
    }
    return fmt::format("--set {}: the model declares no constant '{}'", name, name);
  }

  // Constants are computed top to bottom, so one may use only those declared above it.
  void ReportLaterConstants(const Expr& e, size_t current) {
    if (e.kind == ExprKind::kName && e.ref.kind == RefKind::kConst && static_cast<size_t>(e.ref.index) >= current) {
      diags_.Error(e.range.begin, fmt::format("constant '{}' is declared below this one; declare it first", e.name));
    }
    for (const ExprPtr& operand : e.operands) ReportLaterConstants(*operand, current);
  }

  // An array's shape, or a key family's (`what` "a key family", at most `most` members).
  void FoldShape(Shape* shape, const char* what = "an array", int64_t most = kMaxArraySize) {
    if (!shape) return;
    RequireInt(shape->first, fmt::format("the size of {}", what).c_str());
    if (shape->second) RequireInt(shape->second, fmt::format("a bound of {}", what).c_str());
    if (!IsLiteral(*shape->first) || (shape->second && !IsLiteral(*shape->second))) return;
    if (shape->second) {
      shape->index_lo = shape->first->int_value;
      shape->size = shape->second->int_value - shape->first->int_value + 1;
    } else {
      shape->index_lo = 0;
      shape->size = shape->first->int_value;
    }
    if (shape->size < 1 || shape->size > most) {
      diags_.Error(shape->range.begin, fmt::format("{} holds 1 to {} {}; this one would hold {}", what, most,
                                                   most == kMaxArraySize ? "elements" : "members", shape->size));
    }
  }

  // Variables start from numbers, constants and global params: the params are picked first,
  // then every variable is set at once, so one variable cannot start from another.
  void CheckInitialValue(const Expr& e, const std::string& name) {
    switch (e.kind) {
      case ExprKind::kInt:
      case ExprKind::kBool:
      case ExprKind::kNull:
      case ExprKind::kString:  // CheckTypes says where strings belong
        return;
      case ExprKind::kName:
        if (e.ref.kind == RefKind::kConst || e.ref.kind == RefKind::kParam || e.ref.kind == RefKind::kEnumValue) return;
        diags_.Error(e.range.begin, fmt::format("the initial value of '{}' can use numbers, constants and params, not "
                                                "'{}': variables all start at once",
                                                name, e.name));
        return;
      case ExprKind::kSelf:
        diags_.Error(e.range.begin, "'self' exists only inside a process");
        return;
      case ExprKind::kIndex:
      case ExprKind::kMember:
      case ExprKind::kRedis:
      case ExprKind::kAggregate:
      case ExprKind::kExcluded:
        diags_.Error(e.range.begin, fmt::format("the initial value of '{}' can use numbers, constants and params only",
                                                name));
        return;
      case ExprKind::kCall:
      case ExprKind::kUnary:
      case ExprKind::kBinary:
      case ExprKind::kCond:
      case ExprKind::kIsNull:
        for (const ExprPtr& operand : e.operands) CheckInitialValue(*operand, name);
        return;
    }
  }

  // A row value is known before the model runs, or, outside the key and unique columns, computed
  // from params as a variable's initial value is: keys must differ whatever the params are.
  void FoldCell(const TableDecl& t, size_t column, ExprPtr& e) {
    Fold(e);
    bool enum_value = (e->kind == ExprKind::kName && e->ref.kind == RefKind::kEnumValue) || e->kind == ExprKind::kString;
    if (e->kind == ExprKind::kInt || e->kind == ExprKind::kNull || enum_value) return;
    bool unique = column >= t.columns.size() || t.columns[column].is_key || t.columns[column].is_unique;
    for (const UniqueConstraint& constraint : t.uniques) {
      for (int c : constraint.columns) unique = unique || c == static_cast<int>(column);
    }
    if (unique) {
      diags_.Error(e->range.begin,
                   column < t.columns.size()
                       ? fmt::format("a value of '{}.{}', a {} column, must be a number or an enum value known before "
                                     "the model runs: with a param, two rows could share it for some of its values",
                                     t.name, t.columns[column].name, t.columns[column].is_key ? "key" : "unique")
                       : std::string("a row value must be a number or an enum value known before the model runs"));
      return;
    }
    CheckInitialValue(*e, t.name + "." + t.columns[column].name);
  }

  void CheckInitializer(const VarDecl& v) {
    if (!v.init_is_list) return;
    int64_t size = v.shape ? v.shape->size : 1;
    if (!v.shape) {
      diags_.Error(v.range.begin, fmt::format("'{}' is a single value; a {{list}} initializes arrays only", v.name));
    } else if (static_cast<int64_t>(v.init.size()) != size) {
      diags_.Error(v.init[0]->range.begin, fmt::format("'{}' has {} elements but the list gives {} values", v.name,
                                                       size, v.init.size()));
    }
  }

  void CheckRange(const Expr& lo, const Expr& hi, const std::string& name) {
    if (IsLiteral(lo) && IsLiteral(hi) && lo.int_value > hi.int_value) {
      diags_.Error(lo.range.begin, fmt::format("the range of '{}' is empty: {} is greater than {}", name, lo.int_value,
                                               hi.int_value));
    }
  }

  void RequireInt(ExprPtr& e, const char* what) {
    Fold(e);
    if (e->kind == ExprKind::kBool) {
      // A constant made a bool (`--set HI=true`) where a number goes: say what it is.
      diags_.Error(e->range.begin, fmt::format("{} must be a number, but this is a bool ({})", what,
                                               e->bool_value ? "true" : "false"));
    } else if (e->kind != ExprKind::kInt) {
      diags_.Error(e->range.begin, fmt::format("{} must be a number known before the model runs", what));
    }
  }

  // A table cell or a Redis key starts from a number or an enum value ('queued' in a row, too).
  void RequireValue(ExprPtr& e, const char* what) {
    Fold(e);
    bool enum_value = (e->kind == ExprKind::kName && e->ref.kind == RefKind::kEnumValue) || e->kind == ExprKind::kString;
    if (e->kind != ExprKind::kInt && e->kind != ExprKind::kNull && !enum_value) {
      diags_.Error(e->range.begin, fmt::format("{} must be a number or an enum value known before the model runs", what));
    }
  }

  void RequireCount(ExprPtr& e, const char* what, int64_t lo, int64_t hi) {
    RequireInt(e, what);
    if (e->kind == ExprKind::kInt && (e->int_value < lo || e->int_value > hi)) {
      diags_.Error(e->range.begin, fmt::format("{} must be between {} and {}, not {}", what, lo, hi, e->int_value));
    }
  }

  void FoldBlock(Block& block) {
    for (StmtPtr& s : block) FoldStmt(*s);
  }

  void FoldStmt(Stmt& s) {
    // `on failure retry at most 1` written as such: one attempt in all, which never retries (a
    // bound from a constant, `R + 1` with R = 0, may mean it).
    if (s.failure == FailureKind::kRetry && s.value2 && s.value2->kind == ExprKind::kInt && s.value2->int_value == 1) {
      diags_.Warning(s.value2->range.begin, "'retry at most 1' counts every attempt, the first too: the transaction "
                                            "runs once and a failure is never retried; write 'retry at most 2' for "
                                            "one retry");
    }
    if (s.target_index) Fold(s.target_index);
    if (s.value) Fold(s.value);
    if (s.value2) Fold(s.value2);
    if (s.lock.index) Fold(s.lock.index);
    if (s.sql) FoldSql(*s.sql);
    if (s.redis) FoldRedis(*s.redis);
    if (s.kind == StmtKind::kRetry) RequireCount(s.value, "a retry bound", 1, 1000);
    if (s.kind == StmtKind::kTakes || s.kind == StmtKind::kPause) {
      // Time is counted in ms, one state per value: keep the numbers small.
      const char* what = s.kind == StmtKind::kTakes ? "a takes block's bound (in ms; scale the model's times down)"
                                                    : "a pause's bound (in ms; scale the model's times down)";
      RequireCount(s.value, what, 0, ast::kMaxTime);
      RequireCount(s.value2, what, 0, ast::kMaxTime);
    }
    if (s.failure == FailureKind::kRetry) {
      RequireCount(s.value2, "a retry bound", 1, 1000);
    }
    FoldBlock(s.body);
    FoldBlock(s.else_body);
    FoldBlock(s.inlined);
  }

  void FoldSql(Sql& sql) {
    for (SetItem& set : sql.sets) Fold(set.value);
    for (ExprPtr& e : sql.values) Fold(e);
    if (sql.where) Fold(sql.where);
    if (sql.limit) RequireCount(sql.limit, "a select's limit", 1, 1000000);
  }

  void FoldRedis(RedisCall& call) {
    if (call.instance_index) Fold(call.instance_index);
    for (CallArg& arg : call.args) {
      if (arg.value->ref.kind != RefKind::kRedisKey) {
        Fold(arg.value);
      } else {
        for (ExprPtr& index : arg.value->operands) Fold(index);  // hits[u]: the member's index
      }
    }
    FoldBlock(call.body);
  }

  // Replaces constant references by their values and folds operations on literals.
  void Fold(ExprPtr& e) {
    if (e->kind == ExprKind::kRedis) {
      FoldRedis(*e->redis);
      return;
    }
    for (ExprPtr& operand : e->operands) Fold(operand);
    if (e->kind == ExprKind::kInt && (e->literal_too_large || e->int_value < kMinValue || e->int_value > kMaxValue)) {
      diags_.Error(e->range.begin, fmt::format("this number is outside racecheck's integers ({}..{}; "
                                               "-2147483648 stands for null)", kMinValue, kMaxValue));
      e->int_value = 0;
      e->literal_too_large = false;
      return;
    }
    if (e->kind == ExprKind::kName && e->ref.kind == RefKind::kConst) {
      const ConstDecl& c = model_.consts[e->ref.index];
      if (!IsLiteral(*c.value)) return;  // reported at the constant
      auto folded = std::make_unique<Expr>(e->range, c.value->kind);
      folded->int_value = c.value->int_value;
      folded->bool_value = c.value->bool_value;
      e = std::move(folded);
      return;
    }
    std::optional<Literal> value = Evaluate(*e);
    if (!value) return;
    auto folded = std::make_unique<Expr>(e->range, value->is_bool ? ExprKind::kBool : ExprKind::kInt);
    folded->int_value = value->value;
    folded->bool_value = value->value != 0;
    e = std::move(folded);
  }

  struct Literal {
    bool is_bool;
    int64_t value;
  };

  // Folds an operator whose operands are literals of the right types; type errors are left
  // for CheckTypes, arithmetic errors are reported here where they are certain.
  std::optional<Literal> Evaluate(const Expr& e) {
    if (e.kind != ExprKind::kUnary && e.kind != ExprKind::kBinary && e.kind != ExprKind::kCall) return std::nullopt;
    for (const ExprPtr& operand : e.operands) {
      if (!IsLiteral(*operand)) return std::nullopt;
    }
    auto is_int = [&](size_t i) { return e.operands[i]->kind == ExprKind::kInt; };
    auto is_bool = [&](size_t i) { return e.operands[i]->kind == ExprKind::kBool; };
    auto v = [&](size_t i) { return is_int(i) ? e.operands[i]->int_value : int64_t{e.operands[i]->bool_value}; };
    auto checked = [&](int64_t x) -> std::optional<Literal> {
      if (x < kMinValue || x > kMaxValue) {
        diags_.Error(e.range.begin, fmt::format("this computes {}, outside racecheck's integers ({}..{})", x, kMinValue,
                                                 kMaxValue));
        return std::nullopt;
      }
      return Literal{false, x};
    };
    if (e.kind == ExprKind::kUnary) {
      if (e.unary_op == UnaryOp::kNeg && is_int(0)) return checked(-v(0));
      if (e.unary_op == UnaryOp::kNot && is_bool(0)) return Literal{true, !v(0)};
      return std::nullopt;
    }
    if (e.kind == ExprKind::kCall) {
      if (e.name == "abs" && e.operands.size() == 1 && is_int(0)) return checked(v(0) < 0 ? -v(0) : v(0));
      if (e.operands.size() != 2 || !is_int(0) || !is_int(1)) return std::nullopt;
      if (e.name == "min") return Literal{false, std::min(v(0), v(1))};
      if (e.name == "max") return Literal{false, std::max(v(0), v(1))};
      return std::nullopt;
    }
    BinaryOp op = e.binary_op;
    if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
      if (!is_bool(0) || !is_bool(1)) return std::nullopt;
      return Literal{true, op == BinaryOp::kAnd ? (v(0) && v(1)) : (v(0) || v(1))};
    }
    if (op == BinaryOp::kEq || op == BinaryOp::kNe) {
      if (is_int(0) != is_int(1)) return std::nullopt;
      return Literal{true, (v(0) == v(1)) == (op == BinaryOp::kEq)};
    }
    if (!is_int(0) || !is_int(1)) return std::nullopt;
    int64_t a = v(0), b = v(1);
    switch (op) {
      case BinaryOp::kAdd: return checked(a + b);
      case BinaryOp::kSub: return checked(a - b);
      case BinaryOp::kMul: return checked(a * b);
      case BinaryOp::kDiv:
      case BinaryOp::kMod:
        if (b == 0) {
          diags_.Error(e.range.begin, "this divides by zero");
          return std::nullopt;
        }
        return checked(op == BinaryOp::kDiv ? a / b : a % b);
      case BinaryOp::kLt: return Literal{true, a < b};
      case BinaryOp::kLe: return Literal{true, a <= b};
      case BinaryOp::kGt: return Literal{true, a > b};
      case BinaryOp::kGe: return Literal{true, a >= b};
      case BinaryOp::kEq:
      case BinaryOp::kNe:
      case BinaryOp::kSqlEq:  // SQL comparisons stay as written, for the reports
      case BinaryOp::kAnd:
      case BinaryOp::kOr:
        return std::nullopt;
    }
    return std::nullopt;
  }

  Model& model_;
  const std::vector<ConstOverride>& overrides_;
  base::DiagnosticEngine& diags_;
};

}  // namespace

bool FoldConstants(Model& model, const std::vector<ConstOverride>& overrides, base::DiagnosticEngine& diags) {
  int errors_before = diags.error_count();
  Folder(model, overrides, diags).Run();
  return diags.error_count() == errors_before;
}

}  // namespace racecheck::frontend
