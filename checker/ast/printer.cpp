#include "checker/ast/printer.h"

#include <fmt/format.h>

namespace racecheck::ast {
namespace {

int Precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return 1;
    case BinaryOp::kAnd: return 2;
    case BinaryOp::kEq: case BinaryOp::kNe: case BinaryOp::kSqlEq: return 3;
    case BinaryOp::kLt: case BinaryOp::kLe: case BinaryOp::kGt: case BinaryOp::kGe: return 4;
    case BinaryOp::kAdd: case BinaryOp::kSub: return 5;
    case BinaryOp::kMul: case BinaryOp::kDiv: case BinaryOp::kMod: return 6;
  }
  return 0;
}

std::string ShapeText(const Shape* shape) {
  if (!shape) return "";
  if (!shape->second) return fmt::format("[{}]", ExprText(*shape->first));
  return fmt::format("[{}..{}]", ExprText(*shape->first), ExprText(*shape->second));
}

std::string LockRefText(const LockRef& lock) {
  return lock.index ? fmt::format("{}[{}]", lock.name, ExprText(*lock.index)) : lock.name;
}

std::string JoinExprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) out += (i ? ", " : "") + ExprText(*exprs[i]);
  return out;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

class Printer {
 public:
  explicit Printer(const Model& model) : model_(model) {}

  std::string Print() {
    const Model& model = model_;
    Line(0, "model " + model.name);
    std::string runtime = model.runtime.kind == RuntimeKind::kThreads ? "threads" : "event_loop";
    if (model.runtime.replicas) runtime += fmt::format("(replicas = {})", ExprText(*model.runtime.replicas));
    Line(0, "runtime " + runtime);
    if (model.replica_crash.declared) {
      std::string bound = model.replica_crash.bound ? " at most " + ExprText(*model.replica_crash.bound) : "";
      Line(0, "replica may crash" + bound);
    }
    for (const EnumDecl& e : model.enums) {
      if (!e.builtin) Line(0, fmt::format("enum {} {{ {} }}", e.name, ValueList(e)));
    }
    for (const ConstDecl& c : model.consts) {
      Line(0, fmt::format("const {} = {}{}", c.name, ExprText(*c.value), c.overridden ? "  // set on the command line" : ""));
    }
    for (const ParamDecl& p : model.params) {
      Line(0, fmt::format("param {} in {}..{}", p.name, ExprText(*p.lo), ExprText(*p.hi)));
    }
    for (const VarDecl& v : model.vars) {
      std::string init = v.init_is_list ? "{" + JoinExprs(v.init) + "}" : ExprText(*v.init[0]);
      Line(0, fmt::format("{} {}{}: {} = {}", v.ghost ? "ghost" : "shared", v.name, ShapeText(v.shape.get()),
                          TypeName(model, v.type), init));
    }
    for (const LockDecl& l : model.locks) Line(0, fmt::format("lock {}{}", l.name, ShapeText(l.shape.get())));

    for (const TableDecl& t : model.tables) PrintTable(t);
    for (const RedisDecl& r : model.redis) {
      Line(0, fmt::format("redis {}{}", r.name, ShapeText(r.shape.get())));
      for (const RedisKey& k : r.keys) {
        // Only an enum is named: every other key holds ints.
        std::string type = k.type == Type::kInt ? "" : ": " + TypeName(model, k.type);
        if (k.IsCollection()) {
          std::string elements;
          for (size_t i = 0; i < k.elements.size(); ++i) {
            elements += (i == 0 ? "" : ", ") + ExprText(*k.elements[i]);
            if (k.IsHash()) elements += ": " + ExprText(*k.values[i]);
          }
          std::string of = k.type == Type::kInt ? "" : " of " + TypeName(model, k.type);
          std::string start = k.IsHash() ? "= {" + elements + "}" : "= [" + elements + "]";
          Line(1, fmt::format("key {}{}: {}({}){} {}", k.name, ShapeText(k.shape.get()), k.kind, ExprText(*k.bound),
                              of, k.has_elements ? start : "(absent)"));
          continue;
        }
        std::string shape = ShapeText(k.shape.get());
        Line(1, k.initial ? fmt::format("key {}{}{} = {}", k.name, shape, type, ExprText(*k.initial))
                          : fmt::format("key {}{}{} (absent)", k.name, shape, type));
      }
    }
    for (const FnDecl& f : model.functions) PrintFn(f);
    for (const ProcessDecl& p : model.processes) PrintProcess(p);
    for (const PropertyDecl& p : model.properties) {
      const char* kind = p.kind == PropertyKind::kInvariant ? "invariant" : p.kind == PropertyKind::kFinal ? "final" : "cover";
      Line(0, fmt::format("{} {}: {}", kind, p.name, ExprText(*p.expr)));
    }
    for (const AllowDecl& a : model.allows) Line(0, "allow " + a.what);
    switch (model.expect.kind) {
      case ExpectKind::kNone: break;
      case ExpectKind::kSafe: Line(0, "expect safe"); break;
      case ExpectKind::kDeadlock: Line(0, "expect deadlock"); break;
      case ExpectKind::kFailure: Line(0, "expect failure"); break;
      case ExpectKind::kError: Line(0, "expect error"); break;
      case ExpectKind::kViolation: Line(0, "expect violation " + Join(model.expect.names)); break;
    }
    return out_;
  }

 private:
  void Line(int depth, const std::string& text) { out_ += std::string(2 * depth, ' ') + text + "\n"; }

  void PrintTable(const TableDecl& t) {
    std::vector<std::string> columns;
    for (const Column& c : t.columns) {
      std::string column =
          c.is_key ? c.name + " key" : c.type == Type::kInt ? c.name : c.name + " " + TypeName(model_, c.type);
      if (c.nullable) column += " null";
      columns.push_back(c.is_unique ? column + " unique" : column);
    }
    for (const UniqueConstraint& u : t.uniques) columns.push_back("unique (" + Join(u.column_names) + ")");
    for (const ExprPtr& check : t.checks) columns.push_back("check (" + ExprText(*check) + ")");
    std::string room = t.room ? " rows " + ExprText(*t.room) : "";
    Line(0, fmt::format("table {}({}){}", t.name, Join(columns), room));
    for (const auto& row : t.rows) Line(1, "row (" + JoinExprs(row) + ")");
  }

  void PrintProcess(const ProcessDecl& p) {
    std::string count = p.count ? "[" + ExprText(*p.count) + "]" : "";
    std::string replica = p.replica ? " on replica " + ExprText(*p.replica) : "";
    std::string crash = p.may_crash ? " may crash" : "";
    if (p.crash_retries) crash += " on crash retry at most " + ExprText(*p.crash_retries);
    Line(0, fmt::format("process {}{}{}{}", p.name, count, replica, crash));
    for (const ProcessParam& param : p.params) {
      Line(1, param.is_range ? fmt::format("param {} in {}..{}", param.name, ExprText(*param.lo), ExprText(*param.hi))
                             : fmt::format("param {} = {}", param.name, ExprText(*param.value)));
    }
    if (!p.locals.empty()) {
      std::vector<std::string> locals;
      for (const LocalDecl& l : p.locals) locals.push_back(l.name + ": " + TypeName(model_, l.type));
      Line(1, "locals " + Join(locals));
    }
    PrintBlock(p.body, 1);
  }

  // A fn as written; each call site holds its own typed copy (Stmt::inlined), not printed.
  void PrintFn(const FnDecl& f) {
    Line(0, fmt::format("fn {}({})", f.name, Join(f.params)));
    if (f.locals.size() > f.params.size()) {
      std::vector<std::string> locals;
      for (size_t i = f.params.size(); i < f.locals.size(); ++i) locals.push_back(f.locals[i].name);
      Line(1, "locals " + Join(locals));
    }
    PrintBlock(f.body, 1);
  }

  void PrintBlock(const Block& block, int depth) {
    for (const StmtPtr& s : block) PrintStmt(*s, depth);
  }

  void PrintFailureHandler(const Stmt& s, int depth) {
    std::string names = s.failure_names.empty() ? "" : "(" + Join(s.failure_names) + ")";
    if (s.failure == FailureKind::kRetry) Line(depth, "on failure" + names + " retry at most " + ExprText(*s.value2));
    if (s.failure == FailureKind::kBlock) {
      Line(depth, "on failure" + names);
      PrintBlock(s.else_body, depth + 1);
    }
  }

  // `let done = redis.multi { ... }`: the block's statements under the line that uses it.
  void PrintValueBlocks(const Stmt& s, int depth) {
    if (s.value) ForEachValueBlock(*s.value, [&](const Block& block) { PrintBlock(block, depth + 1); });
  }

  void PrintStmt(const Stmt& s, int depth) {
    switch (s.kind) {
      case StmtKind::kLet:
        Line(depth, fmt::format("let {} = {}", s.names[0], RhsText(s)));
        PrintValueBlocks(s, depth);
        break;
      case StmtKind::kLetTuple:
        Line(depth, fmt::format("let ({}) = {}", Join(s.names), RhsText(s)));
        break;
      case StmtKind::kAssign: {
        std::string target = s.target_index ? fmt::format("{}[{}]", s.target_name, ExprText(*s.target_index)) : s.target_name;
        Line(depth, fmt::format("{} {} {}", target, AssignOpText(s.assign_op), RhsText(s)));
        PrintValueBlocks(s, depth);
        break;
      }
      case StmtKind::kIf:
        Line(depth, "if " + ExprText(*s.value));
        PrintBlock(s.body, depth + 1);
        if (s.has_else) {
          Line(depth, "else");
          PrintBlock(s.else_body, depth + 1);
        }
        break;
      case StmtKind::kWhile:
        Line(depth, "while " + ExprText(*s.value));
        PrintBlock(s.body, depth + 1);
        break;
      case StmtKind::kRetry:
        Line(depth, "retry at most " + ExprText(*s.value));
        PrintBlock(s.body, depth + 1);
        if (s.has_else) {
          Line(depth, "else");
          PrintBlock(s.else_body, depth + 1);
        }
        break;
      case StmtKind::kFor:
        Line(depth, fmt::format("for {} in {}", s.names[0], SqlText(*s.sql)));
        PrintBlock(s.body, depth + 1);
        break;
      case StmtKind::kBreak: Line(depth, "break"); break;
      case StmtKind::kContinue: Line(depth, "continue"); break;
      case StmtKind::kAtomic:
        Line(depth, "atomic");
        PrintBlock(s.body, depth + 1);
        break;
      case StmtKind::kLock:
        Line(depth, "lock " + LockRefText(s.lock));
        PrintBlock(s.body, depth + 1);
        break;
      case StmtKind::kAcquire: Line(depth, "acquire " + LockRefText(s.lock)); break;
      case StmtKind::kRelease: Line(depth, "release " + LockRefText(s.lock)); break;
      case StmtKind::kAwait: Line(depth, "await"); break;
      case StmtKind::kAssert:
        Line(depth, "assert " + ExprText(*s.value) + (s.message.empty() ? "" : " \"" + s.message + "\""));
        break;
      case StmtKind::kAssume: Line(depth, "assume " + ExprText(*s.value)); break;
      case StmtKind::kChoose:
        Line(depth, fmt::format("choose {} in {}..{}", s.names[0], ExprText(*s.value), ExprText(*s.value2)));
        break;
      case StmtKind::kSkip: Line(depth, "skip"); break;
      case StmtKind::kMayCrash: Line(depth, "may crash"); break;
      case StmtKind::kTakes:
        Line(depth, fmt::format("takes {}..{}", ExprText(*s.value), ExprText(*s.value2)));
        PrintBlock(s.body, depth + 1);
        break;
      case StmtKind::kPause:
        Line(depth, fmt::format("pause {}..{}", ExprText(*s.value), ExprText(*s.value2)));
        break;
      case StmtKind::kTransaction:
        Line(depth, "transaction isolation " + (s.isolation.empty() ? std::string("read_committed") : s.isolation));
        PrintBlock(s.body, depth + 1);
        PrintFailureHandler(s, depth);
        break;
      case StmtKind::kRollback: Line(depth, "rollback"); break;
      case StmtKind::kSql:
        Line(depth, Awaited(s) + SqlText(*s.sql));
        PrintFailureHandler(s, depth);
        break;
      case StmtKind::kRedis:
        Line(depth, Awaited(s) + RedisText(*s.redis));
        if (s.redis->is_block) PrintBlock(s.redis->body, depth + 1);
        break;
      case StmtKind::kCall: Line(depth, Awaited(s) + ExprText(*s.value)); break;
      case StmtKind::kReturn: Line(depth, s.value ? "return " + ExprText(*s.value) : "return"); break;
    }
  }

  static std::string Awaited(const Stmt& s) { return s.awaited ? "await " : ""; }
  std::string RhsText(const Stmt& s) { return Awaited(s) + (s.sql ? SqlText(*s.sql) : ExprText(*s.value)); }

  const Model& model_;
  std::string out_;
};

// order by, limit and the row lock of a select, as written.
std::string SelectTail(const Sql& sql) {
  std::string tail;
  std::vector<std::string> keys;
  for (const OrderItem& o : sql.order_by) keys.push_back(o.column_name + (o.descending ? " desc" : ""));
  if (!keys.empty()) tail += " order by " + Join(keys);
  if (sql.limit) tail += " limit " + ExprText(*sql.limit);
  if (sql.for_update) tail += sql.share ? " for share" : sql.no_key ? " for no key update" : " for update";
  if (sql.lock_wait == LockWait::kSkipLocked) tail += " skip locked";
  if (sql.lock_wait == LockWait::kNoWait) tail += " nowait";
  return tail;
}

std::string SetsText(const Sql& sql) {
  std::vector<std::string> sets;
  for (const SetItem& i : sql.sets) sets.push_back(i.column_name + " = " + ExprText(*i.value));
  return Join(sets);
}

}  // namespace

std::string SqlText(const Sql& sql) {
  std::string where = sql.where ? " where " + ExprText(*sql.where) : "";
  std::vector<std::string> returned;
  for (const SelectItem& i : sql.items) returned.push_back(i.name);
  std::string returning = returned.empty() ? "" : " returning " + Join(returned);
  switch (sql.kind) {
    case SqlKind::kSelect: {
      std::vector<std::string> items;
      for (const SelectItem& i : sql.items) items.push_back(i.aggregate ? i.name + "(" + i.argument + ")" : i.name);
      return fmt::format("select {} from {}{}{}", Join(items), sql.table_name, where, SelectTail(sql));
    }
    case SqlKind::kUpdate:
      return fmt::format("update {} set {}{}{}", sql.table_name, SetsText(sql), where, returning);
    case SqlKind::kInsert: {
      std::string columns = sql.insert_columns.empty() ? "" : " (" + Join(sql.insert_columns) + ")";
      std::string target = sql.conflict_columns.empty() ? "" : " (" + Join(sql.conflict_columns) + ")";
      std::string conflict = sql.on_conflict_do_nothing ? " on conflict" + target + " do nothing" : "";
      if (sql.on_conflict_do_update) conflict = " on conflict" + target + " do update set " + SetsText(sql) + where;
      return fmt::format("insert into {}{} values ({}){}{}", sql.table_name, columns, JoinExprs(sql.values), conflict,
                         returning);
    }
    case SqlKind::kDelete:
      return fmt::format("delete from {}{}{}", sql.table_name, where, returning);
  }
  return "";
}

std::string RedisText(const RedisCall& call) {
  std::string target = call.instance_index ? fmt::format("{}[{}]", call.instance_name, ExprText(*call.instance_index))
                                           : call.instance_name;
  if (call.is_block) return fmt::format("{}.{}", target, call.command == "EVAL" ? "eval" : "multi");
  std::string args;
  for (size_t i = 0; i < call.args.size(); ++i) {
    args += i ? ", " : "";
    if (!call.args[i].option.empty()) args += call.args[i].option + " = ";
    args += ExprText(*call.args[i].value);
  }
  return fmt::format("{}.{}({})", target, call.command, args);
}

std::string ExprText(const Expr& e, int parent_precedence) {
  switch (e.kind) {
    case ExprKind::kInt: return std::to_string(e.int_value);
    case ExprKind::kBool: return e.bool_value ? "true" : "false";
    case ExprKind::kNull: return "null";
    case ExprKind::kString: return "'" + e.name + "'";
    case ExprKind::kSelf: return "self";
    case ExprKind::kName: return e.name;
    case ExprKind::kIndex: return fmt::format("{}[{}]", e.name, ExprText(*e.operands[0]));
    case ExprKind::kMember: {
      std::string owner = e.OwnerIndex() ? fmt::format("{}[{}]", e.name, ExprText(*e.OwnerIndex())) : e.name;
      std::string member = e.KeyIndex() ? fmt::format("{}[{}]", e.member, ExprText(*e.KeyIndex())) : e.member;
      return owner + "." + member;
    }
    case ExprKind::kExcluded: return "excluded." + e.name;
    case ExprKind::kCall: return fmt::format("{}{}({})", e.awaited ? "await " : "", e.name, JoinExprs(e.operands));
    case ExprKind::kUnary: {
      std::string inner = ExprText(*e.operands[0], 7);
      return e.unary_op == UnaryOp::kNeg ? "-" + inner : "not " + inner;
    }
    case ExprKind::kBinary: {
      int precedence = Precedence(e.binary_op);
      // Left-associative: the right operand needs parentheses at equal precedence. A comparison
      // of a comparison keeps them on the left too: `a == b == c` reads as a chain.
      int left = precedence == Precedence(BinaryOp::kEq) || precedence == Precedence(BinaryOp::kLt) ? precedence + 1
                                                                                                     : precedence;
      std::string text = fmt::format("{} {} {}", ExprText(*e.operands[0], left), BinaryOpText(e.binary_op),
                                     ExprText(*e.operands[1], precedence + 1));
      return precedence < parent_precedence ? "(" + text + ")" : text;
    }
    case ExprKind::kCond: {
      // Lowest precedence: parenthesized inside any operator.
      std::string text = fmt::format("if {} then {} else {}", ExprText(*e.operands[0]), ExprText(*e.operands[1]),
                                     ExprText(*e.operands[2]));
      return parent_precedence > 0 ? "(" + text + ")" : text;
    }
    case ExprKind::kIsNull: {
      // Binds tighter than the comparisons, looser than + and -.
      std::string text = ExprText(*e.operands[0], 5) + (e.bool_value ? " is not null" : " is null");
      return parent_precedence > 4 ? "(" + text + ")" : text;
    }
    case ExprKind::kRedis: return (e.awaited ? "await " : "") + RedisText(*e.redis);
    case ExprKind::kAggregate: {
      std::string over = e.member.empty() ? e.name : e.name + "." + e.member;
      if (e.operands.empty()) return fmt::format("{}({})", AggregateOpText(e.aggregate), over);
      return fmt::format("{}({} where {})", AggregateOpText(e.aggregate), over, ExprText(*e.operands[0]));
    }
  }
  return "";
}

std::string PrintModel(const Model& model) { return Printer(model).Print(); }

std::string ValueList(const EnumDecl& decl) {
  std::string out;
  for (size_t i = 0; i < decl.values.size(); ++i) out += (i ? ", " : "") + decl.values[i].name;
  return out;
}

std::string TypeName(const Model& model, Type type) {
  switch (type.kind) {
    case TypeKind::kUnknown: return "?";
    case TypeKind::kInt: return "int";
    case TypeKind::kBool: return "bool";
    case TypeKind::kEnum: return model.enums[type.enum_index].name;
    case TypeKind::kNull: return "null";
  }
  return "?";
}

const std::vector<std::string>& FailureNames() {
  static const std::vector<std::string> names = {"serialization_failure", "deadlock_detected", "unique_violation",
                                                 "lock_not_available",    "check_violation",   "not_null_violation"};
  return names;
}

const char* BinaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLe: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGe: return ">=";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNe: return "!=";
    case BinaryOp::kSqlEq: return "=";
    case BinaryOp::kAnd: return "and";
    case BinaryOp::kOr: return "or";
  }
  return "?";
}

const char* AggregateOpText(AggregateOp op) {
  switch (op) {
    case AggregateOp::kCount: return "count";
    case AggregateOp::kExists: return "exists";
    case AggregateOp::kSum: return "sum";
  }
  return "?";
}

const char* AssignOpText(AssignOp op) {
  switch (op) {
    case AssignOp::kSet: return "=";
    case AssignOp::kAdd: return "+=";
    case AssignOp::kSub: return "-=";
    case AssignOp::kMul: return "*=";
  }
  return "?";
}

}  // namespace racecheck::ast
